package io.rvfeed.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Repository;

/** {@code admin_audit} (V40): appended to and read, never changed. */
@Repository
class AuditRepository {

	static final Table<Record> ADMIN_AUDIT = DSL.table(DSL.name("admin_audit"));

	static final Field<Long> AUDIT_ID = DSL.field(DSL.name("audit_id"), SQLDataType.BIGINT);

	static final Field<Instant> OCCURRED_AT = DSL.field(DSL.name("occurred_at"), SQLDataType.INSTANT);

	static final Field<String> ACTOR = DSL.field(DSL.name("actor"), SQLDataType.CLOB);

	static final Field<String> ON_BEHALF_OF = DSL.field(DSL.name("on_behalf_of"), SQLDataType.CLOB);

	static final Field<String> SOURCE = DSL.field(DSL.name("source"), SQLDataType.CLOB);

	static final Field<String> ACTION = DSL.field(DSL.name("action"), SQLDataType.CLOB);

	static final Field<UUID> TARGET_TENANT = DSL.field(DSL.name("target_tenant"), SQLDataType.UUID);

	static final Field<String> TARGET = DSL.field(DSL.name("target"), SQLDataType.CLOB);

	static final Field<String> OUTCOME = DSL.field(DSL.name("outcome"), SQLDataType.CLOB);

	static final Field<JSONB> DETAIL = DSL.field(DSL.name("detail"), SQLDataType.JSONB);

	static final Field<String> REQUEST_ID = DSL.field(DSL.name("request_id"), SQLDataType.CLOB);

	static final Field<String> CLIENT_ADDRESS = DSL.field(DSL.name("client_address"), SQLDataType.CLOB);

	private final DSLContext db;

	AuditRepository(DSLContext db) {
		this.db = db;
	}

	/** Appends the entry in the caller's transaction; answers its id and time. */
	Record insert(AuditEntry entry, String detailJson, @Nullable String requestId, @Nullable String clientAddress) {
		return this.db.insertInto(ADMIN_AUDIT)
			.set(ACTOR, entry.actor().name())
			.set(ON_BEHALF_OF, entry.actor().onBehalfOf())
			.set(SOURCE, entry.actor().source().value())
			.set(ACTION, entry.action())
			.set(TARGET_TENANT, entry.tenantId())
			.set(TARGET, entry.target())
			.set(OUTCOME, entry.outcome().value())
			.set(DETAIL, JSONB.valueOf(detailJson))
			.set(REQUEST_ID, requestId)
			.set(CLIENT_ADDRESS, clientAddress)
			.returning(AUDIT_ID, OCCURRED_AT)
			.fetchSingle();
	}

	/**
	 * Up to {@code limit} entries older than {@code before} (null: from the newest),
	 * newest first, matching the filters.
	 */
	List<Record> page(@Nullable Long before, int limit, @Nullable UUID tenantId, @Nullable String action) {
		Condition where = DSL.noCondition();
		if (before != null) {
			where = where.and(AUDIT_ID.lt(before));
		}
		if (tenantId != null) {
			where = where.and(TARGET_TENANT.eq(tenantId));
		}
		if (action != null) {
			where = where.and(ACTION.eq(action));
		}
		return this.db
			.select(AUDIT_ID, OCCURRED_AT, ACTOR, ON_BEHALF_OF, SOURCE, ACTION, TARGET_TENANT, TARGET, OUTCOME, DETAIL,
					REQUEST_ID, CLIENT_ADDRESS)
			.from(ADMIN_AUDIT)
			.where(where)
			.orderBy(AUDIT_ID.desc())
			.limit(limit)
			.fetch()
			.stream()
			.map((row) -> (Record) row)
			.toList();
	}

}
