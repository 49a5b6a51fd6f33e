package io.rvfeed.feed;

import static io.rvfeed.session.SessionTable.CREATED_AT;
import static io.rvfeed.session.SessionTable.CREATED_BY_LC;
import static io.rvfeed.session.SessionTable.DEVICE_NAME_LC;
import static io.rvfeed.session.SessionTable.DURATION_US;
import static io.rvfeed.session.SessionTable.REASON_LC;
import static io.rvfeed.session.SessionTable.RV_SESSION;
import static io.rvfeed.session.SessionTable.STATE;
import static io.rvfeed.session.SessionTable.TENANT_ID;
import static io.rvfeed.session.SessionTable.UPDATED_AT;
import static io.rvfeed.session.SessionTable.VIDEO_QUALITY;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.Collation;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * The {@code WHERE} conditions of a feed query on {@code rv_session}, and the count of
 * the rows that meet them. Uses nothing else of the feed: the statements, the count
 * decision and the facet counts all build on it.
 */
final class FeedConditions {

	/** Byte order of UTF-8, which is code-point order, whatever the database's locale. */
	static final Collation CODE_POINT = DSL.collation(DSL.quotedName("C"));

	private FeedConditions() {
	}

	/**
	 * The tenant and every filter of the query. Equality is byte equality in every
	 * deterministic collation, so comparing in {@code "C"} gives the same rows and lets
	 * the code-point ordered indexes (V5) serve the filters too.
	 */
	static List<Condition> conditions(UUID tenantId, FeedQuery query) {
		return conditions(tenantId, query,
				(query.deviceName() != null) ? contains(DEVICE_NAME_LC, query.deviceName()) : null);
	}

	/** The same, with the device-name filter given as a condition (or none). */
	static List<Condition> conditions(UUID tenantId, FeedQuery query, @Nullable Condition deviceName) {
		List<Condition> where = new ArrayList<>();
		where.add(TENANT_ID.eq(tenantId));
		if (!query.states().isEmpty()) {
			where.add(STATE.collate(CODE_POINT).in(query.states().stream().map(Enum::name).toList()));
		}
		if (!query.videoQualities().isEmpty()) {
			where.add(VIDEO_QUALITY.collate(CODE_POINT).in(query.videoQualities().stream().map(Enum::name).toList()));
		}
		if (query.reason() != null) {
			where.add(contains(REASON_LC, query.reason()));
		}
		if (deviceName != null) {
			where.add(deviceName);
		}
		if (query.createdBy() != null) {
			where.add(CREATED_BY_LC.collate(CODE_POINT).eq(query.createdBy()));
		}
		bounds(where, DURATION_US, query.durationMicros());
		bounds(where, CREATED_AT, query.createdAt());
		bounds(where, UPDATED_AT, query.updatedAt());
		return where;
	}

	/**
	 * A case-folded substring. The pattern is a literal (jOOQ escapes it), not a bind
	 * value: whether the trigram index (V6) or the btree beats it depends on the term (a
	 * rare term or one that matches a quarter of the rows), and a prepared statement's
	 * generic plan cannot tell.
	 */
	static Condition contains(Field<String> column, String folded) {
		String escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
		return column.like(DSL.inline("%" + escaped + "%"), '\\');
	}

	/** The count of the tenant's rows that meet the conditions, as an expression. */
	static Field<Long> rowCount(List<Condition> conditions) {
		return DSL.field("({0})", SQLDataType.BIGINT, DSL.selectCount().from(RV_SESSION).where(conditions));
	}

	private static <T extends Comparable<? super T>> void bounds(List<Condition> where, Field<T> column,
			Bounds<T> bounds) {
		if (bounds.lt() != null) {
			where.add(column.lt(bounds.lt()));
		}
		if (bounds.lte() != null) {
			where.add(column.le(bounds.lte()));
		}
		if (bounds.gt() != null) {
			where.add(column.gt(bounds.gt()));
		}
		if (bounds.gte() != null) {
			where.add(column.ge(bounds.gte()));
		}
	}

}
