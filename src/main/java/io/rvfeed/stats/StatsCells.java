package io.rvfeed.stats;

import static io.rvfeed.session.SessionTable.CREATED_AT;
import static io.rvfeed.session.SessionTable.CREATED_BY;
import static io.rvfeed.session.SessionTable.CREATED_BY_LC;
import static io.rvfeed.session.SessionTable.REASON;
import static io.rvfeed.session.SessionTable.REASON_LC;
import static io.rvfeed.session.SessionTable.DURATION_US;
import static io.rvfeed.session.SessionTable.STATE;
import static io.rvfeed.session.SessionTable.VIDEO_QUALITY;
import static io.rvfeed.session.SessionTable.RV_SESSION;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.ResultQuery;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

import io.rvfeed.feed.FeedFilters.KeptFilter;
import io.rvfeed.session.SessionState;
import io.rvfeed.session.SessionTable;
import io.rvfeed.session.VideoQuality;

/**
 * Statistics from the cells kept on write instead of the rows: for filters on states,
 * qualities and {@code created_at} only, keys among state, video quality and one time
 * bucket, in a zone whose buckets are whole UTC hours over the tenant's data (V50); or
 * keys among state, video quality and one of reason and console user, filtered on states
 * and qualities only (V51, all time: every cell and delta of the kind, added).
 * <p>
 * Each time bucket (or the whole range) is covered by cells: UTC months inside it, UTC
 * days, and hours at its ends, where a day may be taken whole and the hours it has beyond
 * the bucket subtracted (a Berlin day is the UTC day, plus 23:00 of the day before, minus
 * its own 23:00). Deltas not folded yet count with their hour's cells; a bound inside an
 * hour reads that part of the hour's rows. Counts, sums and histograms add up exactly
 * under the signs; the maximum is the largest of the cells taken whole, unless a
 * subtracted or removed duration is as long, and then it is read from the bucket's hour
 * cells (or its rows, when deltas or rows were added). Every statement runs in one
 * repeatable-read snapshot. The cells read are kept in memory while the tenant's cells
 * are unchanged ({@link KeptCellsCache}, V59).
 */
final class StatsCells {

	private static final ZoneOffset UTC = ZoneOffset.UTC;

	private static final SessionState[] STATES = SessionState.values();

	private static final VideoQuality[] QUALITIES = VideoQuality.values();

	/** Hour buckets read from the cells at most: 13 months and a half. */
	private static final long MAX_HOUR_BUCKETS = 10_000;

	/** Hours a time key's range may span to be read from the cells: 5 years. */
	private static final long MAX_SPAN_HOURS = 5 * 8_766;

	private final DSLContext db;

	private final int timeoutSeconds;

	private final BucketStarts bucketStarts = new BucketStarts();

	private final KeptCellsCache keptCells;

	StatsCells(DSLContext db, int timeoutSeconds, KeptCellsCache keptCells) {
		this.db = db;
		this.timeoutSeconds = timeoutSeconds;
		this.keptCells = keptCells;
	}

	/** Whether the cells can answer the query, as far as it can tell without reading. */
	static Optional<KeptFilter> answerable(StatsQuery query) {
		long timeKeys = query.groupBy().stream().filter(GroupKey::isTime).count();
		long valueKeys = query.groupBy().stream().filter(StatsCells::isValueKey).count();
		boolean keysKept = query.groupBy()
			.stream()
			.allMatch((key) -> key.isTime() || isValueKey(key) || key == GroupKey.STATE_KEY
					|| key == GroupKey.VIDEO_QUALITY_KEY);
		if (timeKeys + valueKeys > 1 || !keysKept) {
			return Optional.empty();
		}
		Optional<KeptFilter> filter = query.filters().asKeptFilter();
		if (valueKeys > 0 && filter.isPresent() && (filter.get().from() != null || filter.get().until() != null)) {
			// the value cells hold all time
			return Optional.empty();
		}
		return filter;
	}

	/** Keys of the value cells (V51). */
	private static boolean isValueKey(GroupKey key) {
		return key == GroupKey.REASON_KEY || key == GroupKey.CREATED_BY_KEY;
	}

	/**
	 * The answer, or empty when the zone's buckets do not fall on whole UTC hours over
	 * the data (the caller then reads the rows).
	 */
	Optional<StatsPage.Content> read(UUID tenantId, StatsQuery query, KeptFilter filter) {
		GroupKey valueKey = query.groupBy().stream().filter(StatsCells::isValueKey).findFirst().orElse(null);
		if (valueKey != null) {
			return Optional.of(readValues(tenantId, query, filter, valueKey));
		}
		Span span = span(tenantId);
		if (span == null) {
			return Optional.empty();
		}
		Instant from = (filter.from() != null && filter.from().isAfter(span.first())) ? filter.from() : span.first();
		Instant until = (filter.until() != null && filter.until().isBefore(span.end())) ? filter.until() : span.end();
		if (!from.isBefore(until)) {
			return Optional.empty();
		}
		GroupKey timeKey = query.groupBy().stream().filter(GroupKey::isTime).findFirst().orElse(null);
		List<Bucket> buckets;
		if (timeKey == null) {
			buckets = List.of(new Bucket(null, from, until));
		}
		else {
			// clients date their sessions: a span of decades would make hundreds of
			// thousands of buckets; such a request reads the rows, under their turns
			long hours = Duration.between(hourFloor(from), until).toHours();
			if (hours > ((timeKey == GroupKey.HOUR) ? MAX_HOUR_BUCKETS : MAX_SPAN_HOURS)) {
				return Optional.empty();
			}
			buckets = buckets(timeKey, query, from, until);
			if (buckets == null) {
				return Optional.empty();
			}
		}
		Bucket whole = new Bucket(null, from, until);
		Map<Bucket, List<Part>> covers = new LinkedHashMap<>();
		covers.put(whole, cover(from, until));
		for (Bucket bucket : buckets) {
			covers.putIfAbsent(bucket, cover(bucket.from(), bucket.until()));
		}
		Condition kept = keptCondition(filter);
		Map<Character, TreeSet<Instant>> periods = new HashMap<>();
		List<Part> rowParts = new ArrayList<>();
		for (List<Part> parts : covers.values()) {
			for (Part part : parts) {
				if (part.grain() == 'r') {
					rowParts.add(part);
				}
				else {
					periods.computeIfAbsent(part.grain(), (g) -> new TreeSet<>()).add(part.from());
				}
			}
		}
		Map<CellKey, List<Cell>> cells = (span.cellsVersion() == null) ? cells(tenantId, kept, periods)
				: this.keptCells.get(
						new KeptCellsCache.Key(tenantId, span.cellsVersion(), Set.copyOf(filter.states()),
								Set.copyOf(filter.videoQualities()),
								periods.entrySet()
									.stream()
									.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
											(each) -> List.copyOf(each.getValue())))),
						() -> cells(tenantId, kept, periods));
		List<Delta> deltas = deltas(tenantId, kept, covers.values());
		Map<Part, List<Cell>> rows = new HashMap<>();
		for (Part part : rowParts) {
			rows.computeIfAbsent(part, (p) -> rowCells(tenantId, kept, p));
		}
		boolean byState = query.groupBy().contains(GroupKey.STATE_KEY);
		boolean byQuality = query.groupBy().contains(GroupKey.VIDEO_QUALITY_KEY);
		Group total = new Group(whole, null, null, null, null);
		add(total, covers.get(whole), cells, deltas, rows);
		List<Group> groups = new ArrayList<>();
		if (!query.groupBy().isEmpty()) {
			for (Bucket bucket : buckets) {
				addGrouped(groups, bucket, covers.get(bucket), cells, deltas, rows, byState, byQuality);
			}
		}
		return Optional.of(answer(tenantId, query, kept, total, groups));
	}

	/**
	 * Grouped by reason or console user (and state or quality), filtered on states and
	 * qualities: the value cells (V51) and their deltas, all added.
	 */
	private StatsPage.Content readValues(UUID tenantId, StatsQuery query, KeptFilter filter, GroupKey valueKey) {
		Condition kept = keptCondition(filter);
		String kind = (valueKey == GroupKey.REASON_KEY) ? "r" : "c";
		boolean byState = query.groupBy().contains(GroupKey.STATE_KEY);
		boolean byQuality = query.groupBy().contains(GroupKey.VIDEO_QUALITY_KEY);
		Group total = new Group(null, null, null, null, null);
		Map<List<Object>, Group> byId = new LinkedHashMap<>();
		for (Record row : this.db
			.resultQuery("""
					select value, state, video_quality, n, dur_n, dur_sum, dur_max, null::bigint as removed_max, hist,
					       -1 as bin
					from rv_stats_value_cell where tenant_id = {0} and kind = {1}::char(1) and {2}
					union all
					select value, state, video_quality, n, case when bin >= 0 then n else 0 end, dur_sum, added_max,
					       removed_max, null, bin
					from (select {3} as value, state, video_quality, n, bin, dur_sum, added_max, removed_max
					      from rv_stats_value_delta where tenant_id = {0} and {3} is not null) d
					where {2}""", DSL.val(tenantId), DSL.val(kind), kept,
					DSL.name((valueKey == GroupKey.REASON_KEY) ? "reason_value" : "created_by_value"))
			.queryTimeout(this.timeoutSeconds)
			.fetch()) {
			Cell cell = new Cell(null, SessionState.valueOf(row.get("state", String.class)),
					VideoQuality.valueOf(row.get("video_quality", String.class)), row.get("n", Long.class),
					row.get("dur_n", Long.class), row.get("dur_sum", Long.class), row.get("dur_max", Long.class),
					row.get("removed_max", Long.class), row.get("hist", byte[].class), row.get("bin", Integer.class));
			String stored = row.get("value", String.class);
			String value = stored.isEmpty() ? null : stored.substring(1);
			total.add(cell, 1);
			SessionState state = byState ? cell.state() : null;
			VideoQuality quality = byQuality ? cell.quality() : null;
			List<Object> id = java.util.Arrays.asList(value, state, quality);
			byId.computeIfAbsent(id, (k) -> new Group(null, valueKey, value, state, quality)).add(cell, 1);
		}
		return answer(tenantId, query, kept, total, new ArrayList<>(byId.values()));
	}

	/**
	 * The total over all the tenant's sessions in the filter's states (all when none),
	 * from the value cells by console user.
	 */
	StatsPage.Metrics totalInStates(UUID tenantId, StatsQuery query, KeptFilter filter) {
		StatsQuery totalOnly = new StatsQuery(query.filters(), List.of(GroupKey.CREATED_BY_KEY), query.zone(), 0);
		return readValues(tenantId, totalOnly, filter, GroupKey.CREATED_BY_KEY).total();
	}

	/** The groups with sessions, ordered and cut at the limit, with their metrics. */
	private StatsPage.Content answer(UUID tenantId, StatsQuery query, Condition kept, Group total, List<Group> groups) {
		// signed parts can add up to a group without sessions
		groups.removeIf((group) -> group.count == 0);
		groups.sort(order(query));
		long groupCount = groups.size();
		List<Group> shown = groups.subList(0, Math.min(query.limit(), groups.size()));
		List<Group> measured = new ArrayList<>(shown);
		measured.add(total);
		Map<HistogramKey, byte[]> histograms = histograms(tenantId, kept, measured);
		DurationHistogram scratch = new DurationHistogram();
		StatsPage.Metrics totalMetrics = metrics(tenantId, total, scratch, kept, histograms);
		List<StatsPage.Group> answer = new ArrayList<>();
		for (Group group : shown) {
			Map<String, @Nullable Object> key = new LinkedHashMap<>();
			for (GroupKey each : query.groupBy()) {
				Object value = switch (each) {
					case STATE_KEY -> group.state.name();
					case VIDEO_QUALITY_KEY -> group.quality.name();
					case REASON_KEY, CREATED_BY_KEY -> group.value;
					default -> each.toJson(group.bucket.key(), query.zone());
				};
				key.put(each.parameter(), value);
			}
			answer.add(new StatsPage.Group(key, metrics(tenantId, group, scratch, kept, histograms)));
		}
		return new StatsPage.Content(query.groupBy().stream().map(GroupKey::parameter).toList(), query.zone().getId(),
				totalMetrics, groupCount, answer);
	}

	private static Comparator<Group> order(StatsQuery query) {
		Comparator<Group> order = Comparator.comparingLong((Group g) -> g.count).reversed();
		for (GroupKey key : query.groupBy()) {
			order = switch (key) {
				case STATE_KEY -> order.thenComparing((g) -> g.state.name());
				case VIDEO_QUALITY_KEY -> order.thenComparing((g) -> g.quality.name());
				case REASON_KEY, CREATED_BY_KEY ->
					order.thenComparing((g) -> g.value, Comparator.nullsLast(Comparator.naturalOrder()));
				default -> order.thenComparing((g) -> g.bucket.key());
			};
		}
		return order;
	}

	/**
	 * The first and the end of the tenant's hours with cells or deltas, and the version
	 * of its cells (V59; null before its first cell); null without cells or deltas.
	 */
	private @Nullable Span span(UUID tenantId) {
		Record3<OffsetDateTime, OffsetDateTime, Long> row = this.db
			.resultQuery("""
					select min(first), max(last),
					       (select version from rv_stats_cell_version where tenant_id = {0}) from (
					    select min(period) as first, max(period) + interval '1 hour' as last
					    from rv_stats_cell where tenant_id = {0} and grain = 'h'
					    union all
					    select min(hour), max(hour) + interval '1 hour' from rv_stats_delta where tenant_id = {0}) s""",
					DSL.val(tenantId))
			.coerce(DSL.field("first", SQLDataType.OFFSETDATETIME), DSL.field("last", SQLDataType.OFFSETDATETIME),
					DSL.field("version", SQLDataType.BIGINT))
			.queryTimeout(this.timeoutSeconds)
			.fetchOne();
		if (row == null || row.value1() == null) {
			return null;
		}
		return new Span(row.value1().toInstant(), row.value2().toInstant(), row.value3());
	}

	private record Span(Instant first, Instant end, @Nullable Long cellsVersion) {
	}

	/**
	 * The zone's buckets over {@code [from, until)}, each with the start PostgreSQL's
	 * {@code date_trunc} gives it; null when some hour is not in one bucket whole.
	 */
	private @Nullable List<Bucket> buckets(GroupKey key, StatsQuery query, Instant from, Instant until) {
		String unit = key.parameter();
		Instant firstHour = hourFloor(from);
		Instant lastHour = hourFloor(until.minus(1, ChronoUnit.MICROS));
		List<BucketStarts.Start> starts = this.bucketStarts
			.get(new BucketStarts.Key(unit, query.zone(), firstHour, lastHour), () -> this.db.resultQuery("""
					select h, k, whole from (
					    select h, k, whole, lag(k) over (order by h) as previous from (
					        select h, date_trunc({0}, h, {1}) as k,
					               date_trunc({0}, h + interval '1 hour' - interval '1 microsecond', {1})
					                 = date_trunc({0}, h, {1}) as whole
					        from generate_series({2}::timestamptz, {3}::timestamptz, interval '1 hour') h) hours) marked
					where previous is distinct from k or not whole
					order by h""", DSL.inline(unit), DSL.inline(query.zone().getId()), DSL.val(firstHour.atOffset(UTC)),
					DSL.val(lastHour.atOffset(UTC)))
				.queryTimeout(this.timeoutSeconds)
				.fetch((row) -> new BucketStarts.Start(row.get("h", OffsetDateTime.class).toInstant(),
						row.get("k", OffsetDateTime.class).toInstant(), row.get("whole", Boolean.class))));
		List<Bucket> buckets = new ArrayList<>();
		for (int i = 0; i < starts.size(); i++) {
			BucketStarts.Start start = starts.get(i);
			if (!start.whole()) {
				return null;
			}
			Instant end = (i + 1 < starts.size()) ? starts.get(i + 1).hour() : until;
			buckets.add(new Bucket(start.bucket(), start.hour().isBefore(from) ? from : start.hour(), end));
		}
		return buckets;
	}

	/**
	 * Parts that add up to {@code [from, until)}: rows for the ends inside an hour, then
	 * months, days and hours as the class comment says.
	 */
	static List<Part> cover(Instant from, Instant until) {
		List<Part> parts = new ArrayList<>();
		Instant fromHour = hourCeiling(from);
		Instant untilHour = hourFloor(until);
		if (!fromHour.isBefore(untilHour)) {
			parts.add(new Part('r', from, until, 1));
			return parts;
		}
		if (from.isBefore(fromHour)) {
			parts.add(new Part('r', from, fromHour, 1));
		}
		if (untilHour.isBefore(until)) {
			parts.add(new Part('r', untilHour, until, 1));
		}
		Instant firstDay = nearestDay(fromHour);
		Instant endDay = nearestDay(untilHour);
		// under a day, hours alone: a day less most of its hours would make the max
		// unsure
		if (!firstDay.isBefore(endDay) || Duration.between(fromHour, untilHour).toHours() < 24) {
			hours(parts, fromHour, untilHour, 1);
			return parts;
		}
		hours(parts, fromHour, firstDay, 1);
		hours(parts, firstDay, fromHour, -1);
		hours(parts, endDay, untilHour, 1);
		hours(parts, untilHour, endDay, -1);
		Instant firstMonth = monthCeiling(firstDay);
		Instant endMonth = monthFloor(endDay);
		if (firstMonth.isBefore(endMonth)) {
			days(parts, firstDay, firstMonth);
			for (Instant month = firstMonth; month.isBefore(endMonth); month = nextMonth(month)) {
				parts.add(new Part('m', month, nextMonth(month), 1));
			}
			days(parts, endMonth, endDay);
		}
		else {
			days(parts, firstDay, endDay);
		}
		return parts;
	}

	private static void hours(List<Part> parts, Instant from, Instant until, int sign) {
		for (Instant hour = from; hour.isBefore(until); hour = hour.plus(1, ChronoUnit.HOURS)) {
			parts.add(new Part('h', hour, hour.plus(1, ChronoUnit.HOURS), sign));
		}
	}

	private static void days(List<Part> parts, Instant from, Instant until) {
		for (Instant day = from; day.isBefore(until); day = day.plus(1, ChronoUnit.DAYS)) {
			parts.add(new Part('d', day, day.plus(1, ChronoUnit.DAYS), 1));
		}
	}

	private static Instant hourFloor(Instant time) {
		return start('h', time);
	}

	private static Instant hourCeiling(Instant time) {
		Instant floor = hourFloor(time);
		return floor.equals(time) ? floor : floor.plus(1, ChronoUnit.HOURS);
	}

	/** The UTC midnight nearest to an hour (the earlier one at noon). */
	private static Instant nearestDay(Instant hour) {
		Instant floor = hour.truncatedTo(ChronoUnit.DAYS);
		return (hour.atOffset(UTC).getHour() > 12) ? floor.plus(1, ChronoUnit.DAYS) : floor;
	}

	private static Instant monthFloor(Instant day) {
		return start('m', day);
	}

	private static Instant monthCeiling(Instant day) {
		Instant floor = monthFloor(day);
		return floor.equals(day) ? floor : nextMonth(floor);
	}

	private static Instant nextMonth(Instant month) {
		return month.atOffset(UTC).plusMonths(1).toInstant();
	}

	private static Condition keptCondition(KeptFilter filter) {
		Condition condition = DSL.noCondition();
		if (!filter.states().isEmpty()) {
			condition = condition.and(DSL.field(DSL.name("state"), String.class)
				.in(filter.states().stream().map(Enum::name).sorted().toList()));
		}
		if (!filter.videoQualities().isEmpty()) {
			condition = condition.and(DSL.field(DSL.name("video_quality"), String.class)
				.in(filter.videoQualities().stream().map(Enum::name).sorted().toList()));
		}
		return condition;
	}

	private Map<CellKey, List<Cell>> cells(UUID tenantId, Condition kept, Map<Character, TreeSet<Instant>> periods) {
		Map<CellKey, List<Cell>> cells = new HashMap<>();
		if (periods.isEmpty()) {
			return cells;
		}
		// Long runs of consecutive periods are read as ranges (a few: ORed ranges cost
		// planning time); the other periods (such as the hours at the ends of a zone's
		// days) through an equality join with arrays unnested once. Both keep the planner
		// on the key's index: it would hash a join on ranges over all the tenant's cells,
		// and "period = any(?::timestamptz[])" would parse the array again for every row
		// (the cast is only stable, never folded).
		Condition ranges = DSL.falseCondition();
		List<String> grains = new ArrayList<>();
		List<String> singles = new ArrayList<>();
		Field<Instant> period = DSL.field(DSL.name("c", "period"), SQLDataType.INSTANT);
		Field<String> grainColumn = DSL.field(DSL.name("c", "grain"), String.class);
		for (Map.Entry<Character, TreeSet<Instant>> each : periods.entrySet()) {
			char grain = each.getKey();
			List<Instant[]> runs = new ArrayList<>();
			for (Instant start : each.getValue()) {
				Instant[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
				if (last != null && last[1].equals(start)) {
					last[1] = next(grain, start);
				}
				else {
					runs.add(new Instant[] { start, next(grain, start) });
				}
			}
			for (Instant[] run : runs) {
				if (countOf(grain, run) < LONG_RUN) {
					for (Instant start = run[0]; start.isBefore(run[1]); start = next(grain, start)) {
						grains.add(String.valueOf(grain));
						singles.add(start.toString());
					}
				}
				else {
					ranges = ranges
						.or(grainColumn.eq(String.valueOf(grain)).and(period.ge(run[0])).and(period.lt(run[1])));
				}
			}
		}
		ResultQuery<Record> query = this.db.resultQuery("""
				select c.grain, c.period, c.state, c.video_quality, c.n, c.dur_n, c.dur_sum, c.dur_max
				from rv_stats_cell c where c.tenant_id = {0} and ({1}) and {2}
				union all
				select c.grain, c.period, c.state, c.video_quality, c.n, c.dur_n, c.dur_sum, c.dur_max
				from unnest({3}::char(1)[], {4}::timestamptz[]) k (grain, period)
				join rv_stats_cell c on c.tenant_id = {0} and c.grain = k.grain and c.period = k.period
				where {2}""", DSL.val(tenantId), ranges, kept, DSL.val(grains.toArray(String[]::new)),
				DSL.val(singles.toArray(String[]::new)));
		// read by position: thousands of rows, where jOOQ's records by name cost more
		// than the statement
		try (ResultSet rows = query.queryTimeout(this.timeoutSeconds).fetchResultSet()) {
			while (rows.next()) {
				CellKey key = new CellKey(rows.getString(1).charAt(0),
						rows.getObject(2, OffsetDateTime.class).toInstant());
				// the histogram is read later, for the groups shown only
				Cell cell = new Cell(key, SessionState.valueOf(rows.getString(3)),
						VideoQuality.valueOf(rows.getString(4)), rows.getLong(5), rows.getLong(6), rows.getLong(7),
						rows.getObject(8, Long.class), null, null, -1);
				cells.computeIfAbsent(key, (k) -> new ArrayList<>()).add(cell);
			}
		}
		catch (SQLException ex) {
			throw new DataAccessException("Reading the statistics cells failed", ex);
		}
		return cells;
	}

	/** Periods in a run from which it is read as a range. */
	private static final int LONG_RUN = 24;

	private static int countOf(char grain, Instant[] run) {
		int count = 0;
		for (Instant start = run[0]; start.isBefore(run[1]) && count < LONG_RUN; start = next(grain, start)) {
			count++;
		}
		return count;
	}

	/**
	 * The start of the UTC hour, day or month (grain {@code h}, {@code d}, {@code m})
	 * that holds an instant: the cells' periods, as {@code date_trunc(unit, t, 'UTC')}.
	 */
	static Instant start(char grain, Instant time) {
		return switch (grain) {
			case 'h' -> time.truncatedTo(ChronoUnit.HOURS);
			case 'd' -> time.truncatedTo(ChronoUnit.DAYS);
			default -> time.atOffset(UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
		};
	}

	/** The start of the next period of a grain. */
	static Instant next(char grain, Instant period) {
		return switch (grain) {
			case 'h' -> period.plus(1, ChronoUnit.HOURS);
			case 'd' -> period.plus(1, ChronoUnit.DAYS);
			default -> nextMonth(period);
		};
	}

	/** The deltas not folded yet in the hours the parts span, in hour order. */
	private List<Delta> deltas(UUID tenantId, Condition kept, Iterable<List<Part>> covers) {
		Instant first = null;
		Instant last = null;
		for (List<Part> parts : covers) {
			for (Part part : parts) {
				first = (first == null || part.from().isBefore(first)) ? part.from() : first;
				last = (last == null || part.until().isAfter(last)) ? part.until() : last;
			}
		}
		List<Delta> deltas = new ArrayList<>();
		if (first == null) {
			return deltas;
		}
		for (Record row : this.db
			.resultQuery("""
					select hour, state, video_quality, bin, n, dur_sum, added_max, removed_max from rv_stats_delta
					where tenant_id = {0} and hour >= {1} and hour < {2} and {3} order by hour""", DSL.val(tenantId),
					DSL.val(first.atOffset(UTC)), DSL.val(last.atOffset(UTC)), kept)
			.queryTimeout(this.timeoutSeconds)
			.fetch()) {
			deltas.add(new Delta(row.get("hour", OffsetDateTime.class).toInstant(),
					new Cell(null, SessionState.valueOf(row.get("state", String.class)),
							VideoQuality.valueOf(row.get("video_quality", String.class)), row.get("n", Long.class),
							(row.get("bin", Integer.class) >= 0) ? row.get("n", Long.class) : 0,
							row.get("dur_sum", Long.class), row.get("added_max", Long.class),
							row.get("removed_max", Long.class), null, row.get("bin", Integer.class))));
		}
		return deltas;
	}

	/** A part of an hour read from the rows, as cells per state, quality and bin. */
	private List<Cell> rowCells(UUID tenantId, Condition kept, Part part) {
		List<Cell> cells = new ArrayList<>();
		for (Record row : this.db
			.resultQuery(
					"""
							select state, video_quality, rv_stats_bin(duration_us) as bin, count(*) as n,
							       count(duration_us) as dur_n, coalesce(sum(duration_us), 0) as dur_sum, max(duration_us) as dur_max
							from rv_session where tenant_id = {0} and created_at >= {1} and created_at < {2} and {3}
							group by 1, 2, 3""",
					DSL.val(tenantId), DSL.val(part.from().atOffset(UTC)), DSL.val(part.until().atOffset(UTC)), kept)
			.queryTimeout(this.timeoutSeconds)
			.fetch()) {
			cells.add(new Cell(null, SessionState.valueOf(row.get("state", String.class)),
					VideoQuality.valueOf(row.get("video_quality", String.class)), row.get("n", Long.class),
					row.get("dur_n", Long.class), row.get("dur_sum", Long.class), row.get("dur_max", Long.class), null,
					null, row.get("bin", Integer.class)));
		}
		return cells;
	}

	private static void add(Group group, List<Part> parts, Map<CellKey, List<Cell>> cells, List<Delta> deltas,
			Map<Part, List<Cell>> rows) {
		for (Part part : parts) {
			for (Cell cell : contributions(part, cells, deltas, rows)) {
				group.add(cell, part.sign());
			}
		}
	}

	/**
	 * Adds a bucket's parts to its groups, which only this call makes (each bucket is
	 * added once), found by state and quality in an array; appends them to the groups.
	 */
	private static void addGrouped(List<Group> groups, Bucket bucket, List<Part> parts, Map<CellKey, List<Cell>> cells,
			List<Delta> deltas, Map<Part, List<Cell>> rows, boolean byState, boolean byQuality) {
		Group[] ofBucket = new Group[STATES.length * QUALITIES.length];
		for (Part part : parts) {
			for (Cell cell : contributions(part, cells, deltas, rows)) {
				int slot = (byState ? cell.state().ordinal() * QUALITIES.length : 0)
						+ (byQuality ? cell.quality().ordinal() : 0);
				Group group = ofBucket[slot];
				if (group == null) {
					SessionState state = byState ? cell.state() : null;
					VideoQuality quality = byQuality ? cell.quality() : null;
					group = new Group(bucket, null, null, state, quality);
					groups.add(group);
					ofBucket[slot] = group;
				}
				group.add(cell, part.sign());
			}
		}
	}

	/** What a part adds: its cells and its hours' deltas, or its rows. */
	private static List<Cell> contributions(Part part, Map<CellKey, List<Cell>> cells, List<Delta> deltas,
			Map<Part, List<Cell>> rows) {
		if (part.grain() == 'r') {
			return rows.getOrDefault(part, List.of());
		}
		List<Cell> found = new ArrayList<>();
		found.addAll(cells.getOrDefault(new CellKey(part.grain(), part.from()), List.of()));
		int index = firstDelta(deltas, part.from());
		for (int i = index; i < deltas.size() && deltas.get(i).hour().isBefore(part.until()); i++) {
			found.add(deltas.get(i).cell());
		}
		return found;
	}

	private static int firstDelta(List<Delta> deltas, Instant from) {
		int low = 0;
		int high = deltas.size();
		while (low < high) {
			int middle = (low + high) >>> 1;
			if (deltas.get(middle).hour().isBefore(from)) {
				low = middle + 1;
			}
			else {
				high = middle;
			}
		}
		return low;
	}

	/**
	 * A group's metrics: its histogram added up, and its maximum read from its rows when
	 * the cells leave it unsure.
	 */
	private StatsPage.Metrics metrics(UUID tenantId, Group group, DurationHistogram histogram, Condition kept,
			Map<HistogramKey, byte[]> histograms) {
		Map<String, Long> byState = new LinkedHashMap<>();
		for (SessionState each : STATES) {
			byState.put(each.name(), group.states[each.ordinal()]);
		}
		Long longest = null;
		if (group.durN > 0) {
			longest = group.max;
			if (longest == null || (group.doubt != null && group.doubt >= longest)) {
				longest = (group.bucket != null && !group.uncelled
						&& hourFloor(group.bucket.from()).equals(group.bucket.from())
						&& hourFloor(group.bucket.until()).equals(group.bucket.until()))
								? hoursMax(tenantId, group, kept) : rowsMax(tenantId, group, kept);
			}
		}
		histogram.clear();
		for (int i = 0; i < group.added.size(); i++) {
			Cell cell = group.added.get(i);
			int sign = group.signs[i];
			if (cell.source() != null) {
				byte[] packed = histograms.get(new HistogramKey(cell.source(), cell.state(), cell.quality()));
				if (packed != null) {
					histogram.addPacked(packed, sign);
				}
			}
			else if (cell.packed() != null) {
				histogram.addPacked(cell.packed(), sign);
			}
			else {
				histogram.add(cell.bin(), sign * cell.durN());
			}
		}
		return StatsRepository.metrics(group.count, byState, group.durN, BigDecimal.valueOf(group.durSum),
				histogram.percentile(0.5, group.durN, longest), histogram.percentile(0.95, group.durN, longest),
				longest);
	}

	/**
	 * The longest duration of a bucket made of kept cells only (no delta, no rows): the
	 * largest maximum of its hour cells, which add up to the bucket without subtracting.
	 */
	private @Nullable Long hoursMax(UUID tenantId, Group group, Condition kept) {
		Condition where = kept;
		if (group.state != null) {
			where = where.and(DSL.field(DSL.name("state"), String.class).eq(group.state.name()));
		}
		if (group.quality != null) {
			where = where.and(DSL.field(DSL.name("video_quality"), String.class).eq(group.quality.name()));
		}
		return this.db.resultQuery("""
				select max(dur_max) from rv_stats_cell
				where tenant_id = {0} and grain = 'h' and period >= {1} and period < {2} and {3}""", DSL.val(tenantId),
				DSL.val(group.bucket.from().atOffset(UTC)), DSL.val(group.bucket.until().atOffset(UTC)), where)
			.queryTimeout(this.timeoutSeconds)
			.fetchOne(0, Long.class);
	}

	private @Nullable Long rowsMax(UUID tenantId, Group group, Condition kept) {
		Condition where = kept.and(DSL.field(DSL.name("tenant_id"), UUID.class).eq(tenantId));
		if (group.bucket != null) {
			where = where.and(CREATED_AT.ge(group.bucket.from())).and(CREATED_AT.lt(group.bucket.until()));
		}
		if (group.valueKey != null) {
			Field<String> column = (group.valueKey == GroupKey.REASON_KEY) ? REASON : CREATED_BY;
			Field<String> folded = (group.valueKey == GroupKey.REASON_KEY) ? REASON_LC : CREATED_BY_LC;
			where = where.and((group.value == null) ? column.isNull()
					: folded.eq(SessionTable.fold(group.value)).and(column.eq(group.value)));
		}
		if (group.state != null) {
			where = where.and(STATE.eq(group.state.name()));
		}
		if (group.quality != null) {
			where = where.and(VIDEO_QUALITY.eq(group.quality.name()));
		}
		return this.db.select(DSL.max(DURATION_US))
			.from(RV_SESSION)
			.where(where)
			.queryTimeout(this.timeoutSeconds)
			.fetchOne(0, Long.class);
	}

	/** A time bucket: its key (null for no time key) and the instants it holds. */
	record Bucket(@Nullable Instant key, Instant from, Instant until) {
	}

	/**
	 * A part of a cover: cells of grain {@code h}, {@code d} or {@code m} starting at
	 * {@code from}, or the rows ({@code r}) in {@code [from, until)}; added or
	 * subtracted.
	 */
	record Part(char grain, Instant from, Instant until, int sign) {
	}

	record CellKey(char grain, Instant period) {
	}

	private record HistogramKey(CellKey cell, SessionState state, VideoQuality quality) {
	}

	/** The histograms of the kept cells the groups add, in one read. */
	private Map<HistogramKey, byte[]> histograms(UUID tenantId, Condition kept, List<Group> groups) {
		Map<HistogramKey, byte[]> histograms = new HashMap<>();
		java.util.Set<CellKey> wanted = new java.util.LinkedHashSet<>();
		for (Group group : groups) {
			for (Cell cell : group.added) {
				if (cell.source() != null && cell.durN() != 0) {
					wanted.add(cell.source());
				}
			}
		}
		if (wanted.isEmpty()) {
			return histograms;
		}
		List<CellKey> keys = new ArrayList<>(wanted);
		ResultQuery<Record> query = this.db.resultQuery("""
				select k.i, c.state, c.video_quality, c.hist
				from unnest({1}::char(1)[], {2}::timestamptz[]) with ordinality k (grain, period, i)
				join rv_stats_cell c on c.tenant_id = {0} and c.grain = k.grain and c.period = k.period
				where c.dur_n > 0 and {3}""", DSL.val(tenantId),
				DSL.val(keys.stream().map((key) -> String.valueOf(key.grain())).toArray(String[]::new)),
				DSL.val(keys.stream().map((key) -> key.period().toString()).toArray(String[]::new)), kept);
		// read by position, each row's cell by its place in the arrays, as the cells
		try (ResultSet rows = query.queryTimeout(this.timeoutSeconds).fetchResultSet()) {
			while (rows.next()) {
				histograms.put(new HistogramKey(keys.get(rows.getInt(1) - 1), SessionState.valueOf(rows.getString(2)),
						VideoQuality.valueOf(rows.getString(3))), rows.getBytes(4));
			}
		}
		catch (SQLException ex) {
			throw new DataAccessException("Reading the statistics histograms failed", ex);
		}
		return histograms;
	}

	private record Delta(Instant hour, Cell cell) {
	}

	/**
	 * Sessions of one state and quality: a kept cell ({@code source}; its histogram read
	 * when needed), a value cell (histogram packed), a delta or a part of the rows (then
	 * all {@code durN} durations are in {@code bin}). {@code removedMax} is the longest
	 * duration a delta removed.
	 */
	record Cell(@Nullable CellKey source, SessionState state, VideoQuality quality, long n, long durN, long durSum,
			@Nullable Long max, @Nullable Long removedMax, byte @Nullable [] packed, int bin) {
	}

	/** One answer group being added up. */
	private static final class Group {

		final @Nullable Bucket bucket;

		final @Nullable GroupKey valueKey;

		final @Nullable String value;

		final @Nullable SessionState state;

		final @Nullable VideoQuality quality;

		long count;

		/** Sessions by state, by the state's ordinal. */
		final long[] states = new long[STATES.length];

		long durN;

		long durSum;

		@Nullable Long max;

		/** Whether a delta or rows were added (not kept cells only). */
		boolean uncelled;

		/**
		 * The longest duration subtracted or removed: at least as long, the max is
		 * unsure.
		 */
		@Nullable Long doubt;

		final List<Cell> added = new ArrayList<>();

		/** The sign each of {@link #added} was added with. */
		int[] signs = new int[8];

		Group(@Nullable Bucket bucket, @Nullable GroupKey valueKey, @Nullable String value,
				@Nullable SessionState state, @Nullable VideoQuality quality) {
			this.bucket = bucket;
			this.valueKey = valueKey;
			this.value = value;
			this.state = state;
			this.quality = quality;
		}

		void add(Cell cell, int sign) {
			this.uncelled |= cell.source() == null;
			this.count += sign * cell.n();
			this.states[cell.state().ordinal()] += sign * cell.n();
			this.durN += sign * cell.durN();
			this.durSum += sign * cell.durSum();
			if (sign > 0) {
				this.max = DurationHistogram.longer(this.max, cell.max());
				this.doubt = DurationHistogram.longer(this.doubt, cell.removedMax());
			}
			else {
				this.doubt = DurationHistogram.longer(DurationHistogram.longer(this.doubt, cell.max()),
						cell.removedMax());
			}
			if (this.added.size() == this.signs.length) {
				this.signs = Arrays.copyOf(this.signs, this.signs.length * 2);
			}
			this.signs[this.added.size()] = sign;
			this.added.add(cell);
		}

	}

}
