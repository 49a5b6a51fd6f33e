package io.rvfeed.webhook;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Repository;

/** The SQL of webhook endpoints ({@code webhook_endpoint}, V30). */
@Repository
class EndpointRepository {

	private static final String COLUMNS = """
			tenant_id, endpoint_id, url, description, event_types, states, enabled, disabled_reason, disabled_at,
			secret, previous_secret, previous_secret_expires_at, secret_rotated_at, failing_since, created_at,
			updated_at""";

	private final DSLContext db;

	EndpointRepository(DSLContext db) {
		this.db = db;
	}

	void insert(EndpointRow e) {
		this.db.execute("""
				insert into webhook_endpoint (tenant_id, endpoint_id, url, description, event_types, states, enabled,
				    secret, created_at, updated_at)
				values (?, ?, ?, ?, ?::text[], ?::text[], ?, ?, ?::timestamptz, ?::timestamptz)""", e.tenantId(),
				e.endpointId(), e.url(), e.description(), e.eventTypes().toArray(String[]::new),
				e.states().toArray(String[]::new), e.enabled(), e.secret(), e.createdAt(), e.updatedAt());
	}

	/**
	 * Serializes the tenant's endpoint creations (a transaction-scoped advisory lock).
	 */
	void lockTenant(UUID tenantId) {
		this.db.execute("select pg_advisory_xact_lock(hashtextextended('webhook_endpoint:' || ?, 0))",
				tenantId.toString());
	}

	int count(UUID tenantId) {
		return this.db.fetchOne("select count(*) from webhook_endpoint where tenant_id = ?", tenantId)
			.get(0, Integer.class);
	}

	Optional<EndpointRow> find(UUID tenantId, UUID endpointId) {
		return this.db
			.fetchOptional("select " + COLUMNS + " from webhook_endpoint where tenant_id = ? and endpoint_id = ?",
					tenantId, endpointId)
			.map(EndpointRepository::toRow);
	}

	/** Locks the endpoint's row for an update of it in this transaction. */
	Optional<EndpointRow> lock(UUID tenantId, UUID endpointId) {
		return this.db
			.fetchOptional(
					"select " + COLUMNS + " from webhook_endpoint where tenant_id = ? and endpoint_id = ? for update",
					tenantId, endpointId)
			.map(EndpointRepository::toRow);
	}

	List<EndpointRow> list(UUID tenantId) {
		return this.db
			.fetch("select " + COLUMNS + " from webhook_endpoint where tenant_id = ? order by created_at, endpoint_id",
					tenantId)
			.map(EndpointRepository::toRow);
	}

	/** Writes what the API may change. */
	void update(EndpointRow e) {
		this.db.execute("""
				update webhook_endpoint set url = ?, description = ?, event_types = ?::text[], states = ?::text[],
				    enabled = ?, disabled_reason = ?, disabled_at = ?::timestamptz, failing_since = ?::timestamptz,
				    updated_at = ?::timestamptz
				where tenant_id = ? and endpoint_id = ?""", e.url(), e.description(),
				e.eventTypes().toArray(String[]::new), e.states().toArray(String[]::new), e.enabled(),
				e.disabledReason(), e.disabledAt(), e.failingSince(), e.updatedAt(), e.tenantId(), e.endpointId());
	}

	void rotate(UUID tenantId, UUID endpointId, byte[] secret, byte[] previous, Instant previousExpires, Instant now) {
		this.db.execute(
				"""
						update webhook_endpoint set secret = ?, previous_secret = ?, previous_secret_expires_at = ?::timestamptz,
						    secret_rotated_at = ?::timestamptz, updated_at = ?::timestamptz
						where tenant_id = ? and endpoint_id = ?""",
				secret, previous, previousExpires, now, now, tenantId, endpointId);
	}

	/**
	 * Deletes the endpoint with its outbox rows (V65), then its messages (with their
	 * attempts). In that order: the first delete waits for the writers that hold the
	 * endpoint's row (the outbox locks it, V61) and for an unpacking of its rows, so the
	 * second sees their messages too.
	 */
	boolean delete(UUID tenantId, UUID endpointId) {
		if (this.db.execute("delete from webhook_endpoint where tenant_id = ? and endpoint_id = ?", tenantId,
				endpointId) != 1) {
			return false;
		}
		this.db.execute("delete from webhook_message where tenant_id = ? and endpoint_id = ?", tenantId, endpointId);
		return true;
	}

	/** Disables the endpoint unless it is disabled already; answers whether it was. */
	boolean disable(UUID tenantId, UUID endpointId, String reason) {
		return this.db.execute(
				"""
						update webhook_endpoint set enabled = false, disabled_reason = ?, disabled_at = now(), updated_at = now()
						where tenant_id = ? and endpoint_id = ? and enabled""",
				reason, tenantId, endpointId) == 1;
	}

	void succeeded(UUID tenantId, UUID endpointId) {
		this.db.execute("""
				update webhook_endpoint set failing_since = null
				where tenant_id = ? and endpoint_id = ? and failing_since is not null""", tenantId, endpointId);
	}

	/**
	 * Notes a failure; answers since when the endpoint has been failing without a
	 * success.
	 */
	@Nullable Instant failed(UUID tenantId, UUID endpointId) {
		Record row = this.db.fetchOne("""
				update webhook_endpoint set failing_since = coalesce(failing_since, now())
				where tenant_id = ? and endpoint_id = ? returning failing_since""", tenantId, endpointId);
		return (row != null) ? row.get(0, Instant.class) : null;
	}

	private static EndpointRow toRow(Record r) {
		return new EndpointRow(r.get("tenant_id", UUID.class), r.get("endpoint_id", UUID.class),
				r.get("url", String.class), r.get("description", String.class), texts(r.get("event_types")),
				texts(r.get("states")), r.get("enabled", Boolean.class), r.get("disabled_reason", String.class),
				r.get("disabled_at", Instant.class), r.get("secret", byte[].class),
				r.get("previous_secret", byte[].class), r.get("previous_secret_expires_at", Instant.class),
				r.get("secret_rotated_at", Instant.class), r.get("failing_since", Instant.class),
				r.get("created_at", Instant.class), r.get("updated_at", Instant.class));
	}

	private static List<String> texts(@Nullable Object array) {
		if (array instanceof Object[] values) {
			return Arrays.stream(values).map(String::valueOf).toList();
		}
		return List.of();
	}

}
