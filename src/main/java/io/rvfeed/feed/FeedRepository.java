package io.rvfeed.feed;

import static io.rvfeed.feed.FeedConditions.CODE_POINT;
import static io.rvfeed.feed.FeedConditions.conditions;
import static io.rvfeed.feed.SortKey.orderBy;
import static io.rvfeed.session.FeedItems.COLUMNS;
import static io.rvfeed.session.FeedItems.toItem;
import static io.rvfeed.session.SessionTable.DEVICE_NAME_LC;
import static io.rvfeed.session.SessionTable.RV_SESSION;
import static io.rvfeed.session.SessionTable.SESSION_ID;
import static io.rvfeed.session.SessionTable.TENANT_ID;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Result;
import org.jooq.ResultQuery;
import org.jooq.Select;
import org.jooq.SelectField;
import org.jooq.conf.ParamType;
import org.jooq.conf.SettingsTools;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.stereotype.Repository;

import io.rvfeed.session.FeedItem;
import io.rvfeed.session.FeedItems;
import io.rvfeed.session.SessionTable;

/**
 * The feed's statements: a page and its exact count in one, the export's cursor and the
 * live stream's changes. This class gives them their shape only: {@link FeedConditions}
 * makes the filters, {@link FeedCount} decides the count and {@link SortKey} the order.
 */
@Repository
public class FeedRepository {

	private static final int STREAM_FETCH_SIZE = 1000;

	private final DSLContext db;

	/**
	 * Renders the page-and-count statement with its values inlined. With bind values a
	 * prepared statement soon runs a generic plan, made for an average tenant: on a
	 * tenant of millions it sorted half a million rows for one page (2 s instead of 0.2
	 * ms). With literals the plan is the one for this tenant and these values, and the
	 * driver still prepares and caches it once the same text repeats on a connection.
	 */
	private final DSLContext inlined;

	private final JdbcOperations jdbc;

	private final long fewDeviceNameSessions;

	FeedRepository(DSLContext db, JdbcOperations jdbc, FeedPlanProperties plan) {
		this.db = db;
		this.jdbc = jdbc;
		this.fewDeviceNameSessions = plan.fewDeviceNameSessions();
		this.inlined = DSL
			.using(db.configuration().derive(SettingsTools.clone(db.settings()).withParamType(ParamType.INLINED)));
	}

	/** A page and the exact count of the rows it is taken from, read in one snapshot. */
	record Slice(long count, List<FeedItem> items) {
	}

	private static final Field<Long> TOTAL = DSL.field(DSL.name("total"), SQLDataType.BIGINT);

	private static final Field<Long> ORDINAL = DSL.field(DSL.name("ord"), SQLDataType.BIGINT);

	private static final Field<?>[] SLICE_FIELDS = sliceFields();

	private static Field<?>[] sliceFields() {
		List<Field<?>> fields = new ArrayList<>();
		fields.add(TOTAL);
		COLUMNS.forEach((column) -> fields.add((Field<?>) column));
		fields.add(ORDINAL);
		return fields.toArray(Field<?>[]::new);
	}

	Slice read(UUID tenantId, FeedQuery query) {
		// jOOQ would bind the values again when executing; the driver gets the text as is
		String sql = readQuery(tenantId, query).getSQL();
		Result<Record> rows = this.jdbc.query((connection) -> connection.prepareStatement(sql),
				(ResultSetExtractor<Result<Record>>) (resultSet) -> this.db.fetch(resultSet, SLICE_FIELDS));
		List<FeedItem> items = rows.stream().filter((row) -> row.get(ORDINAL) != null).map(FeedItems::toItem).toList();
		return new Slice(rows.get(0).get(TOTAL), items);
	}

	/**
	 * The count and the page in one statement: one round trip, one snapshot, no
	 * transaction to set up. The page is a deferred join: the offset walk reads only the
	 * ordering index (an index-only scan where the filters are in it too, as for the
	 * default page), taking just the page's {@code session_id}s in order; then only those
	 * rows are read from the table, by primary key. A plain {@code offset} would read
	 * every skipped row from the heap. The count row comes back even when the page is
	 * empty.
	 */
	ResultQuery<Record> readQuery(UUID tenantId, FeedQuery query) {
		if (query.deviceName() != null) {
			return readByDeviceNames(tenantId, query);
		}
		List<Condition> conditions = conditions(tenantId, query);
		return slice(tenantId, DSL.sql(""), FeedCount.of(tenantId, query), DSL.array(ids(conditions, query)));
	}

	private static final Name DEVICE_NAMES = DSL.name("device_names");

	/**
	 * A device-name substring matches a set of device names, which the facet counts (V7)
	 * list in the reader's snapshot: every session's name has a count row or a delta
	 * there. When those names have few sessions in all, the page and count are read
	 * through the device-name index, name by name (an index-only read of just those
	 * sessions); the substring over the table would read every candidate row the trigram
	 * index gives and then the heap to sort them. A broad term keeps the substring
	 * filter, which walks the ordering index and stops at the page. Which of the two runs
	 * is decided in the statement, so it stays one statement and one snapshot.
	 */
	private ResultQuery<Record> readByDeviceNames(UUID tenantId, FeedQuery query) {
		Field<Long> sessions = KeptCounts.total(DSL.select(KeptCounts.COUNT).from(DEVICE_NAMES));
		Condition few = sessions.le(DSL.inline(this.fewDeviceNameSessions));
		List<Condition> bySubstring = conditions(tenantId, query);
		List<Condition> byName = conditions(tenantId, query, DEVICE_NAME_LC.collate(CODE_POINT)
			.eq(DSL.any(DSL.array(DSL.select(FacetCounts.VALUE).from(DEVICE_NAMES)))));
		Field<Long> count = FeedCount.ofDeviceNames(query, sessions, few, byName, bySubstring);
		Field<UUID[]> ids = DSL.when(few, DSL.array(ids(byName, query))).otherwise(DSL.array(ids(bySubstring, query)));
		Select<Record> names = FacetCounts.deviceNames(tenantId, query.deviceName());
		return slice(tenantId, DSL.sql("with {0} (value, n) as materialized ({1})", DEVICE_NAMES, names), count, ids);
	}

	private static Select<Record1<UUID>> ids(List<Condition> conditions, FeedQuery query) {
		return DSL.select(SESSION_ID)
			.from(RV_SESSION)
			.where(conditions)
			.orderBy(orderBy(query.ordering()))
			.limit(query.limit())
			.offset(query.offset());
	}

	private ResultQuery<Record> slice(UUID tenantId, QueryPart with, Field<Long> count, Field<UUID[]> ids) {
		return this.inlined.resultQuery("""
				{0} select counted.total, page.* from (select {1}) counted (total)
				left join lateral (select {2}, ids.ord
				                   from unnest({3}) with ordinality ids (id, ord)
				                   join {4} on {5} and {6} = ids.id) page on true
				order by page.ord""", with, count, DSL.list(COLUMNS), ids, RV_SESSION, TENANT_ID.eq(tenantId),
				SESSION_ID);
	}

	/**
	 * The SQL of a feed request as the service sends it, with the values inlined: for
	 * benchmarking the same SQL without the service.
	 */
	public String inlinedSql(UUID tenantId, Map<String, String[]> parameters) {
		return readQuery(tenantId, FeedQueryParser.parse(parameters)).getSQL();
	}

	/**
	 * Every matching row in the feed's order, read through a server-side cursor so memory
	 * stays flat however many rows match. Must run inside a transaction (PostgreSQL only
	 * uses a cursor then).
	 */
	void stream(UUID tenantId, FeedQuery query, Consumer<FeedItem> sink) {
		try (Cursor<Record> cursor = this.db.select(COLUMNS)
			.from(RV_SESSION)
			.where(conditions(tenantId, query))
			.orderBy(orderBy(query.ordering()))
			.fetchSize(STREAM_FETCH_SIZE)
			.fetchLazy()) {
			for (Record row : cursor) {
				sink.accept(toItem(row));
			}
		}
	}

	/** A session change and where it stands in the stream. */
	record Change(ChangePosition position, FeedItem session) {
	}

	/**
	 * Named apart from the column: unnamed, the text took the column's name and
	 * {@code order by change_tx} sorted by that text (so '1000' before '999', and no
	 * index order).
	 */
	private static final Field<String> CHANGE_TX_TEXT = DSL.field("{0}::text", String.class, SessionTable.CHANGE_TX)
		.as("position_tx");

	/** Where a new stream starts: after everything already committed. */
	ChangePosition streamStart() {
		return ChangePosition
			.before(this.db.fetchValue(DSL.field("pg_snapshot_xmin(pg_current_snapshot())::text", String.class))
				.transform(Long::parseLong));
	}

	/**
	 * Matching sessions changed after {@code after}, in stream order, taking only changes
	 * of transactions older than every running one: whatever commits later can only come
	 * after the last position returned, so a reader that resumes from it misses nothing.
	 */
	List<Change> changesAfter(UUID tenantId, FeedQuery query, ChangePosition after, int max) {
		List<SelectField<?>> columns = new ArrayList<>(COLUMNS);
		columns.add(CHANGE_TX_TEXT);
		columns.add(SessionTable.CHANGE_SEQ);
		return this.db.select(columns)
			.from(RV_SESSION)
			.where(conditions(tenantId, query))
			.and(DSL.condition("({0}, {1}) > ({2}::text::xid8, {3})", SessionTable.CHANGE_TX, SessionTable.CHANGE_SEQ,
					DSL.val(String.valueOf(after.tx())), DSL.val(after.seq())))
			.and(DSL.condition("{0} < pg_snapshot_xmin(pg_current_snapshot())", SessionTable.CHANGE_TX))
			.orderBy(SessionTable.CHANGE_TX, SessionTable.CHANGE_SEQ)
			.limit(max)
			.fetch((row) -> new Change(
					new ChangePosition(Long.parseLong(row.get(CHANGE_TX_TEXT)), row.get(SessionTable.CHANGE_SEQ)),
					toItem(row)));
	}

}
