package io.rvfeed.lifecycle;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.audit.AuditActor;
import io.rvfeed.audit.AuditEntry;
import io.rvfeed.audit.AuditLog;
import io.rvfeed.auth.TenantRepository;
import io.rvfeed.web.InvalidRequest;

/** A tenant's retention period: read and set (audited). */
@Service
class RetentionSettings {

	static final int MAX_DAYS = 36_500;

	private final RetentionRepository retention;

	private final TenantRepository tenants;

	private final AuditLog audit;

	private final TransactionTemplate transaction;

	RetentionSettings(RetentionRepository retention, TenantRepository tenants, AuditLog audit,
			PlatformTransactionManager transactions) {
		this.retention = retention;
		this.tenants = tenants;
		this.audit = audit;
		this.transaction = new TransactionTemplate(transactions);
	}

	RetentionRepository.Retention get(UUID tenantId) {
		requireTenant(tenantId);
		return this.retention.find(tenantId)
			.orElse(new RetentionRepository.Retention(tenantId, null, java.time.Instant.EPOCH, null, 0, 0, 0, 0));
	}

	/** Sets the period in days, or null to keep everything (the default). */
	RetentionRepository.Retention set(AuditActor actor, UUID tenantId, @Nullable Integer days) {
		return this.audit.audited(actor, "tenant.retention_set", tenantId, AuditEntry.tenant(tenantId),
				() -> this.transaction.execute((status) -> {
					if (days != null && (days < 1 || days > MAX_DAYS)) {
						throw new InvalidRequest(
								"days must be a whole number from 1 to " + MAX_DAYS + " (or send keep_forever: true).");
					}
					requireTenant(tenantId);
					Integer before = this.retention.find(tenantId)
						.map(RetentionRepository.Retention::days)
						.orElse(null);
					this.retention.set(tenantId, days);
					this.audit.record(AuditEntry.succeeded(actor, "tenant.retention_set", tenantId,
							AuditEntry.tenant(tenantId), TenantDeletion.detail("days_before", before, "days", days)));
					return this.retention.find(tenantId).orElseThrow();
				}));
	}

	private void requireTenant(UUID tenantId) {
		if (!this.tenants.exists(tenantId)) {
			throw new TenantNotFound(tenantId);
		}
	}

}
