package io.rvfeed.web;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Nothing is purged yet: every cursor the service gave out stays valid. The retention
 * feature replaces this bean with one that reads each tenant's purge horizon.
 */
@Configuration(proxyBeanMethods = false)
class KeepEverything {

	@Bean
	RetainedPositions retainedPositions() {
		return new RetainedPositions() {
			@Override
			public @Nullable FeedCursor purgedThrough(UUID tenantId, FeedCursor.Kind kind) {
				return null;
			}
		};
	}

}
