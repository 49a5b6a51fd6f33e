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
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.conf.ParamType;
import org.jooq.conf.SettingsTools;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.stereotype.Repository;

import io.rvfeed.db.ReadDatabase;
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

	FeedRepository(ReadDatabase read, FeedPlanProperties plan) {
		// every statement here reads: from the read replica when there is one
		this.db = read.dsl();
		this.jdbc = read.jdbc();
		DSLContext db = this.db;
		this.fewDeviceNameSessions = plan.fewDeviceNameSessions();
		this.inlined = DSL
			.using(db.configuration().derive(SettingsTools.clone(db.settings()).withParamType(ParamType.INLINED)));
	}

	/** A page and the exact count of the rows it is taken from, read in one snapshot. */
	record Slice(long count, List<FeedItem> items) {
	}

	/**
	 * The statement text of recent requests, by tenant and query: consoles and collectors
	 * repeat the same few requests (the first page, a saved filter), and building and
	 * rendering the statement with jOOQ cost more than the database's work for the page.
	 * The text depends on nothing else, so an entry never goes stale. About 3 KB an
	 * entry.
	 */
	private final Cache<StatementKey, String> statements = Caffeine.newBuilder().maximumSize(2_000).build();

	private record StatementKey(UUID tenantId, FeedQuery query) {
	}

	Slice read(UUID tenantId, FeedQuery query) {
		String sql = this.statements.get(new StatementKey(tenantId, query),
				(key) -> readQuery(key.tenantId(), key.query()).getSQL());
		// the driver gets the text as is; rows are mapped straight from the result set
		return this.jdbc.query((connection) -> connection.prepareStatement(sql), (ResultSetExtractor<Slice>) (rows) -> {
			rows.next(); // the count row comes back even when the page is empty
			long count = rows.getLong(1);
			List<FeedItem> items = new ArrayList<>(query.limit());
			int ordinal = COLUMNS.size() + 2;
			do {
				rows.getLong(ordinal);
				if (!rows.wasNull()) {
					items.add(FeedItems.toItem(rows, 2));
				}
			}
			while (rows.next());
			return new Slice(count, items);
		});
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
		List<Condition> conditions = new ArrayList<>(conditions(tenantId, query));
		PageWindow.Window window = PageWindow.of(tenantId, query);
		if (window == null) {
			return slice(tenantId, query, DSL.sql(""), FeedCount.of(tenantId, query),
					DSL.array(ids(conditions, query)));
		}
		// the count adds up the cells the window read
		conditions.addAll(window.conditions());
		return slice(tenantId, query, window.with(), FeedCount.of(tenantId, query, window::cellSum),
				DSL.array(ids(conditions, query)));
	}

	/** The count, as {@link #slice} names it. */
	private static final Field<Long> COUNTED = DSL.field(DSL.name("counted", "total"), SQLDataType.BIGINT);

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
		return slice(tenantId, query, DSL.sql("with {0} (value, n) as materialized ({1})", DEVICE_NAMES, names), count,
				ids);
	}

	private static Select<Record1<UUID>> ids(List<Condition> conditions, FeedQuery query) {
		return DSL.select(SESSION_ID)
			.from(RV_SESSION)
			.where(conditions)
			.orderBy(orderBy(query.ordering()))
			.limit(query.limit())
			.offset(query.offset());
	}

	private ResultQuery<Record> slice(UUID tenantId, FeedQuery query, QueryPart with, Field<Long> count,
			Field<UUID[]> ids) {
		// no walk of the ordering index for a page past the end: with no match at all it
		// would read every session of the tenant (9 s on the benchmark's 2 M-session
		// tenant for a combination that matched nothing)
		Field<UUID[]> page = DSL.when(COUNTED.le(DSL.inline(query.offset())), DSL.inline(new UUID[0])).otherwise(ids);
		return this.inlined.resultQuery("""
				{0} select counted.total, page.* from (select {1} offset 0) counted (total)
				left join lateral (select {2}, ids.ord
				                   from unnest({3}) with ordinality ids (id, ord)
				                   join {4} on {5} and {6} = ids.id) page on true
				order by page.ord""", with, count, DSL.list(COLUMNS), page, RV_SESSION, TENANT_ID.eq(tenantId),
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

	/**
	 * A session change, where it stands in the stream, and which of the filters it was
	 * read for it matches.
	 */
	record Change(ChangePosition position, FeedItem session, BitSet matches) {
	}

	/**
	 * Changes read for a tenant's streams.
	 *
	 * @param changes the matching changes in stream order
	 * @param horizon every change still to come stands after this
	 * @param complete whether these are all matching changes before the horizon (else the
	 * read stopped at its limit)
	 */
	record Changes(List<Change> changes, ChangePosition horizon, boolean complete) {
	}

	private static final Field<String> CHANGE_TX_TEXT = DSL.field("{0}::text", String.class, SessionTable.CHANGE_TX)
		.as("change_tx_text");

	private static final Field<String> HORIZON = DSL.field(DSL.name("horizon"), String.class);

	/**
	 * Where a new stream starts: before the oldest transaction still running, so that
	 * none of them is missed, with what it must skip after that: the transactions that
	 * had committed already.
	 */
	StreamStart streamStart() {
		// xmin:xmax:running,...
		String[] snapshot = this.db.fetchValue(DSL.field("pg_current_snapshot()::text", String.class)).split(":", -1);
		Set<Long> running = snapshot[2].isEmpty() ? Set.of()
				: Arrays.stream(snapshot[2].split(",")).map(Long::valueOf).collect(Collectors.toUnmodifiableSet());
		return new StreamStart(ChangePosition.before(Long.parseLong(snapshot[0])), Long.parseLong(snapshot[1]),
				running);
	}

	/**
	 * The start of a new stream.
	 *
	 * @param position where it reads from
	 * @param xmax transactions from this one on had not begun
	 * @param running the transactions below {@code xmax} that were still running; the
	 * others had ended
	 */
	record StreamStart(ChangePosition position, long xmax, Set<Long> running) {

		/** Whether the change's transaction had committed before the stream started. */
		boolean before(ChangePosition change) {
			return change.tx() < this.xmax && !this.running.contains(change.tx());
		}

	}

	/**
	 * Sessions changed after {@code after} that match any of the filters, in stream
	 * order, each with the filters it matches: one read serves all of a tenant's streams.
	 * Only changes of transactions older than every running one are taken: whatever
	 * commits later comes after the horizon, so a reader that resumes from the last
	 * position it took (or from the horizon, when the read was complete) misses nothing.
	 */
	Changes changesAfter(UUID tenantId, List<FeedQuery> filters, ChangePosition after, int max) {
		List<Condition> matches = filters.stream().map((query) -> DSL.and(conditions(tenantId, query))).toList();
		Table<?> snapshot = DSL.select(DSL.field("pg_snapshot_xmin(pg_current_snapshot())").as("xmin")).asTable("s");
		Field<Object> xmin = snapshot.field("xmin", Object.class);
		List<SelectField<?>> columns = new ArrayList<>(COLUMNS);
		columns.add(CHANGE_TX_TEXT);
		columns.add(SessionTable.CHANGE_SEQ);
		for (int i = 0; i < matches.size(); i++) {
			columns.add(DSL.field(matches.get(i)).as("matches_" + i));
		}
		Table<?> changed = DSL.lateral(DSL.select(columns)
			.from(RV_SESSION)
			.where(TENANT_ID.eq(tenantId))
			.and(DSL.or(matches))
			.and(DSL.condition("({0}, {1}) > ({2}::text::xid8, {3})", SessionTable.CHANGE_TX, SessionTable.CHANGE_SEQ,
					DSL.val(String.valueOf(after.tx())), DSL.val(after.seq())))
			.and(DSL.condition("{0} < {1}", SessionTable.CHANGE_TX, xmin))
			.orderBy(SessionTable.CHANGE_TX, SessionTable.CHANGE_SEQ)
			.limit(max)
			.asTable("c"));
		Field<String> changeTx = changed.field(CHANGE_TX_TEXT.getName(), String.class);
		Field<Long> changeSeq = changed.field(SessionTable.CHANGE_SEQ.getName(), Long.class);
		Result<Record> rows = this.db.select(DSL.field("{0}::text", String.class, xmin).as(HORIZON))
			.select(changed.fields())
			.from(snapshot)
			.leftJoin(changed)
			.on(DSL.trueCondition())
			.orderBy(DSL.field("{0}::xid8", changeTx), changeSeq)
			.fetch();
		ChangePosition horizon = ChangePosition.before(Long.parseLong(rows.get(0).get(HORIZON)));
		List<Change> changes = new ArrayList<>();
		for (Record row : rows) {
			if (row.get(changeTx) == null) {
				continue;
			}
			BitSet matched = new BitSet(matches.size());
			for (int i = 0; i < matches.size(); i++) {
				matched.set(i, Boolean.TRUE.equals(row.get("matches_" + i, Boolean.class)));
			}
			changes.add(new Change(new ChangePosition(Long.parseLong(row.get(changeTx)), row.get(changeSeq)),
					toItem(row), matched));
		}
		return new Changes(changes, horizon, changes.size() < max);
	}

}
