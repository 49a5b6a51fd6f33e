package io.rvfeed.admin;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param token bearer token of the admin API under {@code /admin/}
 * ({@code RVFEED_ADMIN_TOKEN}, at least 16 characters); unset: the admin API is off and
 * {@code /admin/} answers 404
 */
@ConfigurationProperties("rvfeed.admin")
record AdminProperties(@Nullable String token) {

	static final int MIN_TOKEN_LENGTH = 16;

	AdminProperties {
		// unset environment variables arrive as empty values
		if (token != null && token.isBlank()) {
			token = null;
		}
		if (token != null && token.length() < MIN_TOKEN_LENGTH) {
			throw new IllegalArgumentException("rvfeed.admin.token (RVFEED_ADMIN_TOKEN) must be at least "
					+ MIN_TOKEN_LENGTH + " characters long");
		}
	}

	boolean enabled() {
		return this.token != null;
	}

}
