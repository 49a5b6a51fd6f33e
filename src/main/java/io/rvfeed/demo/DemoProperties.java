package io.rvfeed.demo;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled fill an empty database with demo sessions ({@code RVFEED_DEMO_DATA});
 * unset means on for the embedded database and off for an external one
 * @param sessions how many demo sessions to make (default 3000)
 */
@ConfigurationProperties("rvfeed.demo")
record DemoProperties(@Nullable Boolean enabled, @DefaultValue("3000") int sessions) {

	DemoProperties {
		if (sessions < 0) {
			throw new IllegalArgumentException("rvfeed.demo.sessions must be 0 or more, not " + sessions);
		}
	}

}
