package io.rvfeed.auth;

import java.time.Instant;
import java.util.UUID;

public record TenantInfo(UUID tenantId, String name, Instant createdAt) {
}
