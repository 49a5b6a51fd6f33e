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

	static final int MIN_KEY_LENGTH = 16;

	BootstrapProperties {
		// unset environment variables arrive as empty values
		if (apiKey != null && apiKey.isBlank()) {
			apiKey = null;
		}
		if (apiKey != null && apiKey.length() < MIN_KEY_LENGTH) {
			throw new IllegalArgumentException("rvfeed.bootstrap.api-key (RVFEED_BOOTSTRAP_API_KEY) must be at least "
					+ MIN_KEY_LENGTH + " characters long");
		}
	}

}
