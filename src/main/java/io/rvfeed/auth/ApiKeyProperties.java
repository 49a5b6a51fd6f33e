package io.rvfeed.auth;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How API keys are stored: as HMAC-SHA-256 under a server secret that the database does
 * not hold. Every instance on one database needs the same secret.
 *
 * @param hashSecret the secret itself, 32 or more random characters
 * ({@code RVFEED_KEY_HASH_SECRET}); unset: read from {@code hashSecretFile}
 * @param hashSecretFile the file holding the secret, made with a new random secret
 * (readable by its owner only) when absent ({@code RVFEED_KEY_HASH_SECRET_FILE}, default
 * {@code data/key-hash-secret})
 */
@ConfigurationProperties("rvfeed.api-keys")
public record ApiKeyProperties(@Nullable String hashSecret, @Nullable Path hashSecretFile) {

	public ApiKeyProperties {
		if (hashSecret != null && hashSecret.isBlank()) {
			hashSecret = null;
		}
		if (hashSecretFile == null || hashSecretFile.toString().isBlank()) {
			hashSecretFile = Path.of("data", "key-hash-secret");
		}
	}

}
