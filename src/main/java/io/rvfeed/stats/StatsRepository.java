package io.rvfeed.stats;

import static io.rvfeed.session.SessionTable.DURATION_US;
import static io.rvfeed.session.SessionTable.RV_SESSION;
import static io.rvfeed.session.SessionTable.STATE;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.Collation;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.GroupField;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SelectField;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.conf.ParamType;
import org.jooq.conf.SettingsTools;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.db.ReadDatabase;
import io.rvfeed.feed.FeedFilters;
import io.rvfeed.session.SessionState;
import io.rvfeed.web.InvalidRequest;

/**
 * The statistics statement: one {@code GROUP BY GROUPING SETS ((), (keys))} over the
 * tenant's filtered sessions, so the total and the groups come from one snapshot, exact:
 * {@code count}, {@code count(*) filter} per state, {@code sum}, {@code max} and
 * {@code percentile_cont}. The groups are ordered by count descending, then by key (text
 * in code-point order, nulls last) and cut at the limit; {@code count(*) over ()} counts
 * them before the cut.
 */
@Repository
class StatsRepository {

	static final Collation CODE_POINT = DSL.collation(DSL.quotedName("C"));

	private static final String QUERY_CANCELED = "57014";

	private static final String INVALID_PARAMETER_VALUE = "22023";

	/**
	 * Values inlined, as the feed's statements: the plan is made for this tenant and
	 * these filters, not a prepared statement's generic plan for an average tenant.
	 */
	private final DSLContext inlined;

	private final int timeoutSeconds;

	private final StatsCells cells;

	private final StatsDevices devices;

	private final TransactionTemplate snapshot;

	private final Counter fromCellsCount;

	private final Counter fromRowsCount;

	StatsRepository(ReadDatabase read, StatsProperties properties, MeterRegistry meters) {
		this.fromCellsCount = Counter.builder("rvfeed.stats.reads")
			.description("Statistics requests answered, by where the numbers came from: kept cells or rows")
			.tag("source", "cells")
			.register(meters);
		this.fromRowsCount = Counter.builder("rvfeed.stats.reads")
			.description("Statistics requests answered, by where the numbers came from: kept cells or rows")
			.tag("source", "rows")
			.register(meters);
		DSLContext db = read.dsl();
		this.inlined = DSL
			.using(db.configuration().derive(SettingsTools.clone(db.settings()).withParamType(ParamType.INLINED)));
		this.timeoutSeconds = (int) Math.min(Integer.MAX_VALUE, properties.queryTimeout().toSeconds());
		this.cells = new StatsCells(db, this.timeoutSeconds, new KeptCellsCache(properties.keptCells(), meters));
		this.devices = new StatsDevices(db, this.timeoutSeconds);
		this.snapshot = new TransactionTemplate(read.transactions());
		this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		this.snapshot.setReadOnly(true);
	}

	/**
	 * From the kept cells when they hold what the query asks ({@link StatsCells}), else
	 * from the rows.
	 */
	StatsPage.Content read(UUID tenantId, StatsQuery query) {
		try {
			Optional<FeedFilters.KeptFilter> kept = StatsCells.answerable(query);
			if (kept.isPresent()) {
				Optional<StatsPage.Content> fromCells = this.snapshot
					.execute((status) -> this.cells.read(tenantId, query, kept.get()));
				if (fromCells != null && fromCells.isPresent()) {
					this.fromCellsCount.increment();
					return fromCells.get();
				}
			}
			Optional<FeedFilters.KeptFilter> devicesKept = query.filters().asKeptFilter();
			if (devicesKept.isPresent() && StatsDevices.answerable(query, devicesKept.get())) {
				Optional<StatsPage.Content> fromCounts = this.snapshot
					.execute((status) -> this.devices.read(tenantId, query, devicesKept.get(), this.cells));
				if (fromCounts != null && fromCounts.isPresent()) {
					this.fromCellsCount.increment();
					return fromCounts.get();
				}
			}
			StatsPage.Content content = fromRows(tenantId, query);
			this.fromRowsCount.increment();
			return content;
		}
		catch (RuntimeException ex) {
			String state = sqlState(ex);
			if (QUERY_CANCELED.equals(state)) {
				throw new StatsTooSlow();
			}
			if (INVALID_PARAMETER_VALUE.equals(state)) {
				// a zone Java knows and this PostgreSQL's time zone data does not
				throw new InvalidRequest(
						"Parameter 'tz' names a time zone the database does not know: '" + query.zone().getId() + "'.");
			}
			throw ex;
		}
	}

	private StatsPage.Content fromRows(UUID tenantId, StatsQuery query) {
		List<Record> rows = statement(tenantId, query).queryTimeout(this.timeoutSeconds).fetch();
		StatsPage.Metrics total = metrics(rows.get(0));
		List<StatsPage.Group> groups = new ArrayList<>();
		long groupCount = 0;
		if (!query.groupBy().isEmpty()) {
			groupCount = rows.get(0).get("groups", Long.class) - 1;
			for (Record row : rows.subList(1, rows.size())) {
				Map<String, @Nullable Object> key = new LinkedHashMap<>();
				for (int i = 0; i < query.groupBy().size(); i++) {
					GroupKey groupKey = query.groupBy().get(i);
					key.put(groupKey.parameter(), groupKey.toJson(row.get("k" + i), query.zone()));
				}
				groups.add(new StatsPage.Group(key, metrics(row)));
			}
		}
		return new StatsPage.Content(query.groupBy().stream().map(GroupKey::parameter).toList(), query.zone().getId(),
				total, groupCount, groups);
	}

	/** The statement, also for the benchmark's SQL listing. */
	ResultQuery<Record> statement(UUID tenantId, StatsQuery query) {
		List<SelectField<?>> inner = new ArrayList<>();
		List<Field<?>> keys = new ArrayList<>();
		for (int i = 0; i < query.groupBy().size(); i++) {
			inner.add(query.groupBy().get(i).expression(query.zone()).as("k" + i));
			keys.add(DSL.field(DSL.name("s", "k" + i)));
		}
		inner.add(STATE);
		inner.add(DURATION_US);
		Table<?> sessions = DSL.select(inner).from(RV_SESSION).where(query.filters().conditions(tenantId)).asTable("s");
		Field<String> state = DSL.field(DSL.name("s", "state"), String.class);
		Field<Long> duration = DSL.field(DSL.name("s", "duration_us"), Long.class);
		List<SelectField<?>> metrics = metricFields(state, duration);
		if (keys.isEmpty()) {
			return this.inlined.select(metrics).from(sessions);
		}
		Field<Integer> total = DSL.grouping(keys.get(0));
		List<SelectField<?>> select = new ArrayList<>();
		select.add(total.as("g"));
		for (int i = 0; i < keys.size(); i++) {
			select.add(keys.get(i).as("k" + i));
		}
		select.addAll(metrics);
		select.add(DSL.count().over().as("groups"));
		List<SortField<?>> order = new ArrayList<>();
		order.add(DSL.field(DSL.name("g")).desc());
		order.add(DSL.field(DSL.name("n")).desc());
		for (int i = 0; i < keys.size(); i++) {
			Field<?> key = query.groupBy().get(i).isText()
					? DSL.field(DSL.name("k" + i), String.class).collate(CODE_POINT) : DSL.field(DSL.name("k" + i));
			order.add(key.asc().nullsLast());
		}
		GroupField sets = DSL.groupingSets(List.of(), keys);
		return this.inlined.select(select).from(sessions).groupBy(sets).orderBy(order).limit(query.limit() + 1);
	}

	/**
	 * The metrics over the sessions grouped, as {@link #metrics(Record)} reads them: also
	 * for the device groups measured one at a time ({@link StatsDevices}).
	 */
	static List<SelectField<?>> metricFields(Field<String> state, Field<Long> duration) {
		List<SelectField<?>> metrics = new ArrayList<>();
		metrics.add(DSL.count().as("n"));
		for (SessionState each : SessionState.values()) {
			metrics.add(DSL.count().filterWhere(state.eq(each.name())).as("s_" + each.name()));
		}
		metrics.add(DSL.count(duration).as("d_n"));
		metrics.add(DSL.sum(duration).as("d_sum"));
		metrics.add(DSL.percentileCont(0.5).withinGroupOrderBy(duration).as("d_p50"));
		metrics.add(DSL.percentileCont(0.95).withinGroupOrderBy(duration).as("d_p95"));
		metrics.add(DSL.max(duration).as("d_max"));
		return metrics;
	}

	static StatsPage.Metrics metrics(Record row) {
		Map<String, Long> states = new LinkedHashMap<>();
		for (SessionState each : SessionState.values()) {
			states.put(each.name(), row.get("s_" + each.name(), Long.class));
		}
		return metrics(row.get("n", Long.class), states, row.get("d_n", Long.class), row.get("d_sum", BigDecimal.class),
				row.get("d_p50", Double.class), row.get("d_p95", Double.class), row.get("d_max", Long.class));
	}

	/** Metrics as the answer shows them, from the numbers (durations in microseconds). */
	static StatsPage.Metrics metrics(long count, Map<String, Long> states, long withDuration, @Nullable BigDecimal sum,
			@Nullable Double p50, @Nullable Double p95, @Nullable Long max) {
		long ended = states.get(SessionState.TERMINATED.name()) + states.get(SessionState.FAILED.name());
		Double failureRate = (ended > 0) ? (double) states.get(SessionState.FAILED.name()) / ended : null;
		StatsPage.DurationStats durations = new StatsPage.DurationStats(withDuration,
				(sum != null) ? micros(sum).toString() : Duration.ZERO.toString(), percentile(p50), percentile(p95),
				micros(max));
		return new StatsPage.Metrics(count, states, failureRate, durations);
	}

	private static Duration micros(BigDecimal micros) {
		BigDecimal[] seconds = micros.divideAndRemainder(BigDecimal.valueOf(1_000_000));
		return Duration.ofSeconds(seconds[0].longValueExact(), seconds[1].longValueExact() * 1000);
	}

	private static @Nullable String micros(@Nullable Long micros) {
		return (micros != null) ? Duration.of(micros, ChronoUnit.MICROS).toString() : null;
	}

	/** A percentile in microseconds, rounded half up to a whole microsecond. */
	private static @Nullable String percentile(@Nullable Double micros) {
		return (micros != null) ? micros(Math.round(micros)) : null;
	}

	private static @Nullable String sqlState(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
		}
		return null;
	}

}
