package io.rvfeed.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A row of {@code webhook_endpoint}; the secrets as stored (encrypted). */
record EndpointRow(UUID tenantId, UUID endpointId, String url, @Nullable String description, List<String> eventTypes,
		List<String> states, boolean enabled, @Nullable String disabledReason, @Nullable Instant disabledAt,
		byte[] secret, byte @Nullable [] previousSecret, @Nullable Instant previousSecretExpiresAt,
		@Nullable Instant secretRotatedAt, @Nullable Instant failingSince, Instant createdAt, Instant updatedAt) {

	EndpointRow {
		eventTypes = List.copyOf(eventTypes);
		states = List.copyOf(states);
	}

}
