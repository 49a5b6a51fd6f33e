package io.rvfeed.auth;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A tenant and API key created at start-up when absent, for first runs and tests.
 *
 * @param tenant the tenant's id ({@code RVFEED_BOOTSTRAP_TENANT}); unset: a new tenant is
 * made for the key
 * @param apiKey the key, any string of 16 characters or more
 * ({@code RVFEED_BOOTSTRAP_API_KEY}); it gets every scope
 */
@ConfigurationProperties("rvfeed.bootstrap")
record BootstrapProperties(@Nullable UUID tenant, @Nullable String apiKey) {

	BootstrapProperties {
		if (apiKey != null && apiKey.isBlank()) {
			apiKey = null;
		}
	}

}
