package io.rvfeed.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One administrative action to record.
 *
 * @param actor who did it
 * @param action what, as {@code noun.verb} ({@code key.revoked}, {@code tenant.deleted},
 * {@code webhook.endpoint_created}...)
 * @param tenantId the tenant it concerns, or null
 * @param target what it was done to, as a path ({@code tenant/<id>/key/<id>})
 * @param outcome how it ended
 * @param detail what else an auditor needs (never a secret, never erased personal data),
 * as JSON-serialisable values
 */
public record AuditEntry(AuditActor actor, String action, @Nullable UUID tenantId, String target, AuditOutcome outcome,
		Map<String, @Nullable Object> detail) {

	public AuditEntry {
		detail = Collections.unmodifiableMap(new LinkedHashMap<>(detail));
	}

	public static AuditEntry succeeded(AuditActor actor, String action, @Nullable UUID tenantId, String target,
			Map<String, @Nullable Object> detail) {
		return new AuditEntry(actor, action, tenantId, target, AuditOutcome.SUCCEEDED, detail);
	}

	/** The target path of a tenant. */
	public static String tenant(UUID tenantId) {
		return "tenant/" + tenantId;
	}

	/** The target path of one of a tenant's API keys. */
	public static String key(UUID tenantId, UUID keyId) {
		return tenant(tenantId) + "/key/" + keyId;
	}

}
