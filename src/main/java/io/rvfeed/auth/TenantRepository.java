package io.rvfeed.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import org.springframework.stereotype.Repository;

@Repository
public class TenantRepository {

	static final Table<Record> TENANT = DSL.table(DSL.name("tenant"));

	static final Field<UUID> TENANT_ID = DSL.field(DSL.name("tenant_id"), SQLDataType.UUID);

	static final Field<String> NAME = DSL.field(DSL.name("name"), SQLDataType.CLOB);

	static final Field<Instant> CREATED_AT = DSL.field(DSL.name("created_at"), SQLDataType.INSTANT);

	/**
	 * Set when the tenant's deletion was asked for (V41): from then on it counts as gone.
	 */
	static final Field<Instant> DELETION_REQUESTED_AT = DSL.field(DSL.name("deletion_requested_at"),
			SQLDataType.INSTANT);

	private static final org.jooq.Condition LIVE = DELETION_REQUESTED_AT.isNull();

	private final DSLContext db;

	TenantRepository(DSLContext db) {
		this.db = db;
	}

	/** Creates the tenant unless it exists; answers whether it was created. */
	public boolean createIfAbsent(UUID tenantId, String name) {
		return this.db.insertInto(TENANT)
			.set(TENANT_ID, tenantId)
			.set(NAME, name)
			.onConflict(TENANT_ID)
			.doNothing()
			.execute() == 1;
	}

	/** Whether the tenant exists and is not being deleted. */
	public boolean exists(UUID tenantId) {
		return this.db.fetchExists(TENANT, TENANT_ID.eq(tenantId).and(LIVE));
	}

	public boolean any() {
		return this.db.fetchExists(TENANT);
	}

	public List<TenantInfo> list() {
		return this.db.select(TENANT_ID, NAME, CREATED_AT)
			.from(TENANT)
			.where(LIVE)
			.orderBy(CREATED_AT, TENANT_ID)
			.fetch((row) -> new TenantInfo(row.get(TENANT_ID), row.get(NAME), row.get(CREATED_AT)));
	}

	public Optional<TenantInfo> find(UUID tenantId) {
		return this.db.select(TENANT_ID, NAME, CREATED_AT)
			.from(TENANT)
			.where(TENANT_ID.eq(tenantId).and(LIVE))
			.fetchOptional((row) -> new TenantInfo(row.get(TENANT_ID), row.get(NAME), row.get(CREATED_AT)));
	}

	/**
	 * Marks the tenant as being deleted (it counts as gone from now on) and revokes all
	 * its live keys, in the caller's transaction; answers how many keys were revoked, or
	 * -1 if there is no such live tenant. Every instance refuses the keys from the commit
	 * on (keys are looked up on every request).
	 */
	public int markDeleted(UUID tenantId) {
		int marked = this.db.update(TENANT)
			.set(DELETION_REQUESTED_AT, DSL.currentInstant())
			.where(TENANT_ID.eq(tenantId).and(LIVE))
			.execute();
		if (marked == 0) {
			return -1;
		}
		return this.db.update(ApiKeyRepository.API_KEY)
			.set(ApiKeyRepository.REVOKED_AT, DSL.currentInstant())
			.where(ApiKeyRepository.TENANT_ID.eq(tenantId).and(ApiKeyRepository.REVOKED_AT.isNull()))
			.execute();
	}

}
