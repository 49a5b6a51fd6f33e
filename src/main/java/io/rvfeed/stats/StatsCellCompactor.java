package io.rvfeed.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.db.DatabaseAvailability;
import io.rvfeed.session.SessionTable;
import io.rvfeed.web.DatabaseUnavailable;

/**
 * Folds the statistics deltas into the hour, day and month cells (V50), the value cells
 * (V51) and the device counts (V52) every {@code rvfeed.stats.compact-interval}, a
 * bounded batch per transaction. Compactions take turns on an advisory lock across
 * instances. A cell's maximum is kept as the largest duration added; when a delta removes
 * a duration at least as long, the hour cell's maximum is read again from its rows and
 * the day's and month's from their cells.
 */
@Component
class StatsCellCompactor implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(StatsCellCompactor.class);

	static final int BATCH = 5000;

	private static final String GRAINS = "hdm";

	private final DSLContext db;

	private final TransactionTemplate transaction;

	private final StatsProperties properties;

	private final DatabaseAvailability database;

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Deltas folded between vacuums of the delta tables while a backlog is folded. Each
	 * fold steps over the index entries of the deltas folded since the last vacuum:
	 * without one during a backlog, 1,000-delta device folds went from about 40 ms to
	 * 70-90 ms over 100 folds (docs/performance.md, V56).
	 */
	static final int VACUUM_EVERY = 10_000;

	private long foldedSinceVacuum;

	/**
	 * When the last compaction ran through ({@code rvfeed.stats_cells.compaction.lag}).
	 */
	private volatile long lastCompactedNanos = System.nanoTime();

	StatsCellCompactor(DSLContext db, PlatformTransactionManager transactions, StatsProperties properties,
			DatabaseAvailability database, MeterRegistry meters) {
		Gauge
			.builder("rvfeed.stats_cells.compaction.lag", this,
					(compactor) -> (System.nanoTime() - compactor.lastCompactedNanos) / 1e9)
			.description("Seconds since this instance last completed a compaction of the statistics cells")
			.baseUnit("seconds")
			.register(meters);
		this.db = db;
		this.transaction = new TransactionTemplate(transactions);
		this.properties = properties;
		this.database = database;
	}

	/**
	 * Folds until no delta committed so far is left (or another instance has the turn).
	 */
	void compact() {
		if (!this.database.available()) {
			return;
		}
		try {
			for (Fold fold : FOLDS) {
				int folded;
				do {
					Integer batch = this.transaction.execute((status) -> foldBatch(fold));
					folded = (batch != null) ? batch : 0;
					this.foldedSinceVacuum += folded;
					if (this.foldedSinceVacuum >= VACUUM_EVERY) {
						vacuumDeltas();
					}
				}
				while (folded == fold.batch());
			}
			this.lastCompactedNanos = System.nanoTime();
			if (this.foldedSinceVacuum >= 1000) {
				vacuumDeltas();
			}
		}
		catch (RuntimeException ex) {
			if (DatabaseUnavailable.isCause(ex)) {
				log.debug("Compacting the statistics cells failed: the database is unavailable", ex);
				return;
			}
			log.warn("Compacting the statistics cells failed; trying again in {}", this.properties.compactInterval(),
					ex);
		}
	}

	/**
	 * As the feed's delta tables: folded deltas stay as dead rows, and their entries in
	 * the tenant index through which the folds find the deltas waiting, until a vacuum.
	 */
	private void vacuumDeltas() {
		this.db.execute("vacuum (skip_locked) rv_stats_delta, rv_stats_value_delta, rv_stats_device_delta");
		this.foldedSinceVacuum = 0;
	}

	/**
	 * Folds a batch of one kind's deltas, at most {@code batch} of them, in the
	 * connection's transaction; a batch of fewer means none was left.
	 */
	private record Fold(Step step, int batch) {

		interface Step {

			int apply(Connection connection) throws SQLException;

		}

	}

	/**
	 * Device deltas per transaction: each makes up to four count upserts (its name and
	 * id, in its state and in all, V53), each with three indexes, and group counts, so a
	 * batch of them takes longer than a batch of the others.
	 */
	static final int DEVICE_BATCH = 1000;

	/**
	 * One kind per transaction, so that no fold holds a transaction open long: the cursor
	 * feeds show a change only once every transaction begun before it has ended, for all
	 * tenants.
	 */
	private static final List<Fold> FOLDS = List.of(new Fold((connection) -> fold(connection, Kept.TIMES), BATCH),
			new Fold((connection) -> fold(connection, Kept.VALUES), BATCH),
			new Fold(StatsCellCompactor::foldDeviceCounts, DEVICE_BATCH));

	/** One batch in the caller's transaction; answers how many deltas it folded. */
	private int foldBatch(Fold fold) {
		// an erasure takes the value deltas' lock to drop emptied cells (Erasure)
		if (!Boolean.TRUE.equals(this.db.fetchValue("select pg_try_advisory_xact_lock(hashtext('rv_stats_delta'))"
				+ " and pg_try_advisory_xact_lock(hashtext('rv_stats_value_delta'))"
				+ " and pg_try_advisory_xact_lock(hashtext('rv_stats_device_delta'))"))) {
			return 0;
		}
		return this.db.connectionResult(fold.step()::apply);
	}

	/** The device counts and their group counts (V52), in SQL: erasures fold them too. */
	private static int foldDeviceCounts(Connection connection) throws SQLException {
		try (PreparedStatement fold = connection.prepareStatement("select rv_stats_device_fold(null, ?)")) {
			fold.setInt(1, DEVICE_BATCH);
			try (ResultSet rows = fold.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

	/**
	 * The two kinds of cells: by time (V50: a delta's hour makes an hour, a day and a
	 * month cell, keyed by grain and period) and by value (V51: keyed by kind and value;
	 * a delta holds both kinds' values, V54).
	 */
	enum Kept {

		TIMES("rv_stats_cell", "rv_stats_delta", "grain", "period", "hour", "timestamptz"),

		VALUES("rv_stats_value_cell", "rv_stats_value_delta", "kind", "value", "reason_value, created_by_value",
				"text");

		final String cells;

		final String deltas;

		final String first;

		final String second;

		final String deltaKey;

		final String secondType;

		Kept(String cells, String deltas, String first, String second, String deltaKey, String secondType) {
			this.cells = cells;
			this.deltas = deltas;
			this.first = first;
			this.second = second;
			this.deltaKey = deltaKey;
			this.secondType = secondType;
		}

		/**
		 * The cells a delta row (from column 2 on: its key) changes: a value delta (V54)
		 * changes a reason's and a console user's cell, or one of them when the other is
		 * null (an erasure's).
		 */
		List<Key> keys(UUID tenant, ResultSet row) throws SQLException {
			if (this == VALUES) {
				List<Key> keys = new ArrayList<>(2);
				String reason = row.getString(2);
				String createdBy = row.getString(3);
				if (reason != null) {
					keys.add(new Key(tenant, "r", reason, row.getString(4), row.getString(5)));
				}
				if (createdBy != null) {
					keys.add(new Key(tenant, "c", createdBy, row.getString(4), row.getString(5)));
				}
				return keys;
			}
			Instant hour = row.getObject(2, OffsetDateTime.class).toInstant();
			List<Key> keys = new ArrayList<>();
			for (char grain : GRAINS.toCharArray()) {
				keys.add(new Key(tenant, String.valueOf(grain), StatsCells.start(grain, hour).toString(),
						row.getString(3), row.getString(4)));
			}
			return keys;
		}

		int columns() {
			return (this == VALUES) ? 5 : 4;
		}

	}

	private static int fold(Connection connection, Kept kept) throws SQLException {
		Map<Key, Change> changes = new HashMap<>();
		int folded = 0;
		// in the order of the delta table's index: its pages stay as it grew
		// (V9), and the table's own order read every page it ever had before
		// finding none left
		try (PreparedStatement moved = connection.prepareStatement("""
				delete from %1$s where ctid = any(array(select ctid from %1$s order by tenant_id limit ?))
				returning tenant_id, %2$s, state, video_quality, bin, n, dur_sum, added_max, removed_max"""
			.formatted(kept.deltas, kept.deltaKey))) {
			moved.setInt(1, BATCH);
			try (ResultSet rows = moved.executeQuery()) {
				int at = kept.columns();
				while (rows.next()) {
					folded++;
					for (Key key : kept.keys(rows.getObject(1, UUID.class), rows)) {
						changes.computeIfAbsent(key, (k) -> new Change())
							.add(rows.getInt(at + 1), rows.getLong(at + 2), rows.getLong(at + 3),
									rows.getObject(at + 4, Long.class), rows.getObject(at + 5, Long.class));
					}
				}
			}
		}
		if (changes.isEmpty()) {
			return folded;
		}
		List<Key> keys = new ArrayList<>(changes.keySet());
		try (PreparedStatement existing = connection.prepareStatement("""
				delete from %1$s c
				using unnest(?::uuid[], ?::char(1)[], ?::%4$s[], ?::text[], ?::text[]) k (t, a, b, s, q)
				where c.tenant_id = k.t and c.%2$s = k.a and c.%3$s = k.b and c.state = k.s and c.video_quality = k.q
				returning c.tenant_id, c.%2$s, c.%3$s, c.state, c.video_quality, c.n, c.dur_n, c.dur_sum,
				          c.dur_max, c.hist""".formatted(kept.cells, kept.first, kept.second, kept.secondType))) {
			bindKeys(connection, existing, keys);
			try (ResultSet rows = existing.executeQuery()) {
				while (rows.next()) {
					String second = (kept == Kept.TIMES)
							? rows.getObject(3, OffsetDateTime.class).toInstant().toString() : rows.getString(3);
					Key key = new Key(rows.getObject(1, UUID.class), rows.getString(2), second, rows.getString(4),
							rows.getString(5));
					changes.get(key)
						.base(rows.getLong(6), rows.getLong(7), rows.getLong(8), rows.getObject(9, Long.class),
								rows.getBytes(10));
				}
			}
		}
		List<Key> stay = new ArrayList<>();
		List<Key> recount = new ArrayList<>();
		List<Change> values = new ArrayList<>();
		for (Key key : keys) {
			Change change = changes.get(key);
			if (change.n == 0) {
				continue;
			}
			stay.add(key);
			values.add(change);
			if (change.recount()) {
				recount.add(key);
			}
		}
		if (!stay.isEmpty()) {
			try (PreparedStatement insert = connection.prepareStatement("""
					insert into %1$s (tenant_id, %2$s, %3$s, state, video_quality, n, dur_n, dur_sum, dur_max, hist)
					select t, a, b, s, q, n, dn, ds, dm, decode(h, 'hex')
					from unnest(?::uuid[], ?::char(1)[], ?::%4$s[], ?::text[], ?::text[], ?::bigint[], ?::bigint[],
					            ?::bigint[], ?::bigint[], ?::text[]) v (t, a, b, s, q, n, dn, ds, dm, h)"""
				.formatted(kept.cells, kept.first, kept.second, kept.secondType))) {
				bindKeys(connection, insert, stay);
				insert.setArray(6, connection.createArrayOf("bigint", values.stream().map((v) -> v.n).toArray()));
				insert.setArray(7, connection.createArrayOf("bigint", values.stream().map((v) -> v.durN).toArray()));
				insert.setArray(8, connection.createArrayOf("bigint", values.stream().map((v) -> v.durSum).toArray()));
				insert.setArray(9, connection.createArrayOf("bigint",
						values.stream().map((v) -> (v.durN > 0) ? v.max : null).toArray()));
				HexFormat hex = HexFormat.of();
				DurationHistogram histogram = new DurationHistogram();
				insert.setArray(10, connection.createArrayOf("text",
						values.stream().map((v) -> hex.formatHex(v.pack(histogram))).toArray()));
				insert.executeUpdate();
			}
		}
		if (kept == Kept.VALUES) {
			for (Key key : recount) {
				recountValueMax(connection, key);
			}
			return folded;
		}
		for (char grain : GRAINS.toCharArray()) {
			List<Key> ofGrain = recount.stream().filter((key) -> key.first().equals(String.valueOf(grain))).toList();
			if (!ofGrain.isEmpty()) {
				recountMax(connection, grain, ofGrain);
			}
		}
		return folded;
	}

	/**
	 * The maximum of a value cell that lost a duration at least as long as it, from its
	 * rows (found through the case-folded column's index).
	 */
	private static void recountValueMax(Connection connection, Key key) throws SQLException {
		String column = key.first().equals("r") ? "reason" : "created_by";
		String value = key.second().isEmpty() ? null : key.second().substring(1);
		String matching = (value == null) ? column + " is null" : column + "_lc = ? and " + column + " = ?";
		try (PreparedStatement update = connection.prepareStatement("""
				update rv_stats_value_cell set dur_max = (
				    select max(duration_us) from rv_session
				    where tenant_id = ? and state = ? and video_quality = ? and %s)
				where tenant_id = ? and kind = ?::char(1) and value = ? and state = ? and video_quality = ?"""
			.formatted(matching))) {
			int i = 1;
			update.setObject(i++, key.tenantId());
			update.setString(i++, key.state());
			update.setString(i++, key.quality());
			if (value != null) {
				update.setString(i++, SessionTable.fold(value));
				update.setString(i++, value);
			}
			update.setObject(i++, key.tenantId());
			update.setString(i++, key.first());
			update.setString(i++, key.second());
			update.setString(i++, key.state());
			update.setString(i, key.quality());
			update.executeUpdate();
		}
	}

	/**
	 * The maximum of time cells that lost a duration at least as long as it: an hour's
	 * from its rows, a day's from its hours, a month's from its days.
	 */
	private static void recountMax(Connection connection, char grain, List<Key> keys) throws SQLException {
		String longest = switch (grain) {
			case 'h' -> """
					(select max(r.duration_us) from rv_session r
					 where r.tenant_id = c.tenant_id and r.state = c.state and r.video_quality = c.video_quality
					   and r.created_at >= c.period and r.created_at < c.period + interval '1 hour')""";
			case 'd' -> """
					(select max(h.dur_max) from rv_stats_cell h
					 where h.tenant_id = c.tenant_id and h.grain = 'h' and h.state = c.state
					   and h.video_quality = c.video_quality
					   and h.period >= c.period and h.period < c.period + interval '24 hours')""";
			default -> """
					(select max(d.dur_max) from rv_stats_cell d
					 where d.tenant_id = c.tenant_id and d.grain = 'd' and d.state = c.state
					   and d.video_quality = c.video_quality and d.period >= c.period
					   and d.period < ((c.period at time zone 'UTC') + interval '1 month') at time zone 'UTC')""";
		};
		try (PreparedStatement update = connection.prepareStatement("""
				update rv_stats_cell c set dur_max = %s
				from unnest(?::uuid[], ?::char(1)[], ?::timestamptz[], ?::text[], ?::text[]) k (t, g, p, s, q)
				where c.tenant_id = k.t and c.grain = k.g and c.period = k.p and c.state = k.s
				  and c.video_quality = k.q""".formatted(longest))) {
			bindKeys(connection, update, keys);
			update.executeUpdate();
		}
	}

	private static void bindKeys(Connection connection, PreparedStatement statement, List<Key> keys)
			throws SQLException {
		statement.setArray(1, connection.createArrayOf("uuid", keys.stream().map(Key::tenantId).toArray()));
		statement.setArray(2, connection.createArrayOf("text", keys.stream().map(Key::first).toArray()));
		statement.setArray(3, connection.createArrayOf("text", keys.stream().map(Key::second).toArray()));
		statement.setArray(4, connection.createArrayOf("text", keys.stream().map(Key::state).toArray()));
		statement.setArray(5, connection.createArrayOf("text", keys.stream().map(Key::quality).toArray()));
	}

	/**
	 * A cell: tenant, grain and period (as an instant's text) or kind and value, state
	 * and quality.
	 */
	private record Key(UUID tenantId, String first, String second, String state, String quality) {
	}

	/** A cell as it was (zero when new) with the deltas of this batch added. */
	private static final class Change {

		long n;

		long durN;

		long durSum;

		@Nullable Long max;

		/** The longest duration the deltas removed. */
		@Nullable Long removed;

		byte @Nullable [] basePacked;

		final Map<Integer, Long> bins = new HashMap<>();

		void add(int bin, long n, long durSum, @Nullable Long addedMax, @Nullable Long removedMax) {
			this.n += n;
			if (bin >= 0) {
				this.durN += n;
				this.durSum += durSum;
				this.bins.merge(bin, n, Long::sum);
			}
			this.max = DurationHistogram.longer(this.max, addedMax);
			this.removed = DurationHistogram.longer(this.removed, removedMax);
		}

		void base(long n, long durN, long durSum, @Nullable Long max, byte[] packed) {
			this.n += n;
			this.durN += durN;
			this.durSum += durSum;
			this.max = DurationHistogram.longer(this.max, max);
			this.basePacked = packed;
		}

		/**
		 * Whether a removed duration may have been the cell's longest: as long as the
		 * longest of the cell before and of the durations added (a session may be added
		 * and removed in one batch, to a cell that did not exist before).
		 */
		boolean recount() {
			return this.removed != null && this.max != null && this.removed >= this.max && this.durN > 0;
		}

		byte[] pack(DurationHistogram histogram) {
			histogram.clear();
			if (this.basePacked != null) {
				histogram.addPacked(this.basePacked, 1);
			}
			this.bins.forEach(histogram::add);
			return histogram.pack();
		}

	}

	@Override
	public synchronized void start() {
		long millis = this.properties.compactInterval().toMillis();
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "stats-cell-compactor");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.scheduleWithFixedDelay(this::compact, millis, millis, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
