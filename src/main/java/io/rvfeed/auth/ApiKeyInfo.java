package io.rvfeed.auth;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.rvfeed.ratelimit.RateLimit;

/**
 * What may be shown of a stored key: never the key or its hash.
 *
 * @param prefix the key's first characters, to tell keys apart
 * @param rateLimit the key's own rate limit, or null for the service's default
 */
public record ApiKeyInfo(UUID tenantId, UUID keyId, String name, String prefix, Set<Scope> scopes, Instant createdAt,
		@Nullable Instant lastUsedAt, @Nullable Instant revokedAt, @Nullable RateLimit rateLimit) {

	public ApiKeyInfo {
		scopes = Set.copyOf(scopes);
	}

	public boolean revoked() {
		return this.revokedAt != null;
	}

}
