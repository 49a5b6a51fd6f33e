package io.rvfeed.stats;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.auth.Scope;
import io.rvfeed.session.SessionState;
import io.rvfeed.session.SessionTable;
import io.rvfeed.support.FeedApi;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.StatisticsDeltas;
import io.rvfeed.support.TestTenants.TestTenant;

import static io.rvfeed.support.FeedApi.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code GET /api/v2/rv-activity-stats/} against plain SQL on generated sessions: for
 * random combinations of filters, group keys and zones, every metric of the total and of
 * every group (count, counts by state, failure rate, duration count, sum, p50, p95, max)
 * equals {@code count(*)}, {@code sum}, {@code percentile_cont} and {@code max} over the
 * same rows, grouped by independently written key expressions (a time bucket as the local
 * time truncated and read back in the zone). Time buckets are also counted in Java across
 * the daylight-saving changes of 2026 in several zones. Then tenant isolation and bad
 * parameters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatsIT extends ServiceTest {

	static final String PATH = "/api/v2/rv-activity-stats/";

	static final long SEED = Long.getLong("stats.seed", System.nanoTime());

	/**
	 * Europe's change (29 March 01:00 UTC) and America's (1 November) inside the data.
	 */
	static final List<Instant[]> RANGES = List.of(
			new Instant[] { Instant.parse("2026-03-20T00:00:00Z"), Instant.parse("2026-04-08T00:00:00Z") },
			new Instant[] { Instant.parse("2026-10-20T00:00:00Z"), Instant.parse("2026-11-06T00:00:00Z") });

	static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
			"Australia/Lord_Howe");

	static final List<String> KEYS = List.of("state", "video_quality", "reason", "created_by", "device_name",
			"device_id", "hour", "day", "week", "month");

	/** A filter as the API takes it and the same rows as plain SQL. */
	record Filter(String parameter, String sql) {
	}

	static final List<Filter> FILTERS = List.of(
			new Filter("states=FAILED,terminated", "state in ('FAILED','TERMINATED')"),
			new Filter("states=ACTIVE", "state = 'ACTIVE'"),
			new Filter("video_qualities=DATA_SAVER", "video_quality = 'DATA_SAVER'"),
			new Filter("reason=OFFLINE", "lower(reason) like '%offline%'"),
			new Filter("device_name=kiosk-1", "lower(device_name) like '%kiosk-1%'"),
			new Filter("created_by=" + enc("ALICE@example.com"), "lower(created_by) = 'alice@example.com'"),
			new Filter("duration_gte=PT1M", "duration_us >= 60000000"),
			new Filter("duration_lt=PT10M30S", "duration_us < 630000000"),
			new Filter("created_at_gte=2026-03-28", "created_at >= '2026-03-28T00:00:00Z'"),
			new Filter("created_at_lt=" + enc("2026-11-01T03:00:00-04:00"), "created_at < '2026-11-01T07:00:00Z'"),
			new Filter("updated_at_gt=" + enc("2026-03-30T12:00:00Z"), "updated_at > '2026-03-30T12:00:00Z'"));

	@Autowired
	DataSource dataSource;

	@Autowired
	StatsCellCompactor compactor;

	@Autowired
	MeterRegistry meters;

	JdbcTemplate jdbc;

	TestTenant tenant;

	TestTenant other;

	TestTenant empty;

	List<Instant> created = new ArrayList<>();

	@BeforeAll
	void insertSessions() {
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.tenant = this.tenants.create();
		this.other = this.tenants.create();
		this.empty = this.tenants.create();
		Random random = new Random(SEED);
		insert(this.tenant, 900, random, this.created);
		insert(this.other, 300, random, new ArrayList<>());
	}

	/**
	 * Sessions with few distinct values (so groups have many members and ties in count),
	 * names differing in case only, nulls, equal durations and durations of zero.
	 */
	void insert(TestTenant owner, int count, Random random, List<Instant> times) {
		String[] names = { "Kiosk-1 Lobby", "kiosk-1 lobby", "Kiosk-12", "Till 3", "Ticket-Kiosk-0042", "Tablet B",
				"Zebra", "Ärztehaus" };
		UUID[] devices = new UUID[names.length * 2];
		for (int i = 0; i < devices.length; i++) {
			devices[i] = UUID.randomUUID();
		}
		String[] reasons = { "Device went offline", "Network OFFLINE again", "Ended by console user", null };
		String[] creators = { "alice@example.com", "Alice@Example.com", "bob@example.com", null };
		SessionState[] states = SessionState.values();
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Instant[] range = RANGES.get(random.nextInt(RANGES.size()));
			long span = ChronoUnit.MICROS.between(range[0], range[1]);
			Instant createdAt = range[0].plus((long) (random.nextDouble() * span), ChronoUnit.MICROS);
			times.add(createdAt);
			SessionState state = states[random.nextInt(states.length)];
			Instant startedAt = null;
			Instant endedAt = null;
			if (state == SessionState.ACTIVE || (state.isTerminal() && random.nextInt(5) > 0)) {
				startedAt = createdAt.plusSeconds(random.nextInt(20));
				if (state.isTerminal()) {
					long micros = switch (random.nextInt(4)) {
						case 0 -> 0;
						case 1 -> 60_000_000L * random.nextInt(15);
						default -> (long) (random.nextDouble() * 3_600_000_000L);
					};
					endedAt = startedAt.plus(micros, ChronoUnit.MICROS);
				}
			}
			if (state == SessionState.FAILED && startedAt == null) {
				endedAt = createdAt.plusSeconds(5);
			}
			Instant updatedAt = (endedAt != null) ? endedAt : createdAt.plusSeconds(random.nextInt(100));
			int device = random.nextInt(devices.length);
			String name = names[device % names.length];
			String reason = reasons[random.nextInt(reasons.length)];
			String creator = creators[random.nextInt(creators.length)];
			rows.add(new Object[] { owner.id(), UUID.randomUUID(), devices[device], name,
					(random.nextInt(3) == 0) ? 60 : 1, state.name(), random.nextBoolean() ? "STANDARD" : "DATA_SAVER",
					reason, creator, creator, ts(createdAt), ts(updatedAt), ts(startedAt), ts(endedAt),
					SessionTable.fold(name), SessionTable.fold(reason), SessionTable.fold(creator) });
		}
		this.jdbc.batchUpdate("""
				insert into rv_session (tenant_id, session_id, device_id, device_name, device_state, state,
				    video_quality, reason, created_by, updated_by, created_at, updated_at, started_at, ended_at,
				    device_name_lc, reason_lc, created_by_lc)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""", rows);
	}

	static Timestamp ts(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	@Test
	void randomCombinationsMatchPlainSql() {
		Random random = new Random(SEED + 1);
		for (int round = 0; round < 60; round++) {
			List<Filter> filters = new ArrayList<>();
			int filterCount = random.nextInt(4);
			while (filters.size() < filterCount) {
				Filter filter = FILTERS.get(random.nextInt(FILTERS.size()));
				String name = filter.parameter().substring(0, filter.parameter().indexOf('='));
				// a repeated parameter adds values (states=A&states=B is A or B), not a
				// second filter
				if (filters.stream().noneMatch((chosen) -> chosen.parameter().startsWith(name + "="))) {
					filters.add(filter);
				}
			}
			List<String> keys = new ArrayList<>();
			int keyCount = (round == 0) ? 0 : 1 + random.nextInt(2);
			while (keys.size() < keyCount) {
				String key = KEYS.get(random.nextInt(KEYS.size()));
				if (!keys.contains(key)) {
					keys.add(key);
				}
			}
			String zone = ZONES.get(random.nextInt(ZONES.size()));
			int limit = List.of(1, 3, 50, 1000).get(random.nextInt(4));
			compare(this.tenant, filters, keys, zone, limit);
		}
	}

	@Test
	void everyKeyAloneAndTheBiggestPairsMatchPlainSql() {
		for (String key : KEYS) {
			compare(this.tenant, List.of(), List.of(key), "Europe/Berlin", 1000);
		}
		compare(this.tenant, List.of(), List.of("device_name", "state"), "UTC", 1000);
		compare(this.tenant, List.of(), List.of("day", "state"), "America/New_York", 1000);
		compare(this.tenant, List.of(FILTERS.get(0)), List.of("device_id", "hour"), "Australia/Lord_Howe", 1000);
	}

	/**
	 * Counted in Java: each session's bucket is its local time truncated in the zone,
	 * read back as an instant; keys carry the offset in force at the bucket's start.
	 */
	@Test
	void timeBucketsFollowDaylightSavingChanges() {
		Map<String, Function<ZonedDateTime, ZonedDateTime>> truncations = Map.of("hour",
				(t) -> t.toOffsetDateTime().truncatedTo(ChronoUnit.HOURS).atZoneSameInstant(t.getZone()), "day",
				(t) -> t.truncatedTo(ChronoUnit.DAYS), "week",
				(t) -> t.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).truncatedTo(ChronoUnit.DAYS), "month",
				(t) -> t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS));
		for (String zoneName : ZONES) {
			ZoneId zone = ZoneId.of(zoneName);
			for (Map.Entry<String, Function<ZonedDateTime, ZonedDateTime>> key : truncations.entrySet()) {
				Map<String, Long> expected = new TreeMap<>();
				for (Instant time : this.created) {
					ZonedDateTime bucket = key.getValue().apply(time.atZone(zone));
					expected.merge(bucket.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), 1L,
							Long::sum);
				}
				JsonNode content = stats(this.tenant,
						"group_by=" + key.getKey() + "&tz=" + enc(zoneName) + "&limit=1000");
				Map<String, Long> actual = new TreeMap<>();
				for (JsonNode group : content.get("groups")) {
					actual.put(group.get("key").get(key.getKey()).asString(), group.get("count").asLong());
				}
				assertThat(actual).as(zoneName + " " + key.getKey() + " seed " + SEED).isEqualTo(expected);
			}
		}
		// the days around Europe's change: 24 h, 23 h (29 March), 24 h, each from local
		// midnight
		JsonNode days = stats(this.tenant, "group_by=day&tz=europe/berlin&limit=1000");
		assertThat(days.get("tz").asString()).isEqualTo("Europe/Berlin");
		List<String> keys = new ArrayList<>();
		days.get("groups").forEach((group) -> keys.add(group.get("key").get("day").asString()));
		assertThat(keys).contains("2026-03-28T00:00:00+01:00", "2026-03-29T00:00:00+01:00",
				"2026-03-30T00:00:00+02:00");
		// New York's 1 November has 25 hours, from 04:00 UTC to 05:00 UTC the next day
		JsonNode hours = stats(this.tenant, "group_by=hour&tz=America/New_York&limit=1000"
				+ "&created_at_gte=2026-11-01T04:00:00Z&created_at_lt=2026-11-02T05:00:00Z");
		long total = hours.get("total").get("count").asLong();
		long inDay = stats(this.tenant, "group_by=day&tz=America/New_York&limit=1000").get("groups")
			.valueStream()
			.filter((group) -> group.get("key").get("day").asString().equals("2026-11-01T00:00:00-04:00"))
			.mapToLong((group) -> group.get("count").asLong())
			.sum();
		assertThat(inDay).isEqualTo(total);
		assertThat(hours.get("group_count").asLong()).isLessThanOrEqualTo(25);
	}

	/**
	 * Queries the kept cells can answer (V50) are answered from them, with the deltas not
	 * folded yet, after folding, and after sessions change state and duration or are
	 * deleted (the longest ones first, so the cells' maximum must be found again).
	 */
	@Test
	void keptCellsAnswerExactlyThroughChangesAndDeletes() {
		TestTenant owner = this.tenants.create();
		Random random = new Random(SEED + 2);
		List<List<Filter>> filterSets = List.of(List.of(), List.of(FILTERS.get(0)), List.of(FILTERS.get(2)),
				List.of(FILTERS.get(8)), List.of(FILTERS.get(9), FILTERS.get(1)),
				List.of(new Filter(
						"created_at_gte=" + enc("2026-03-28T10:17:00.5Z") + "&created_at_lte="
								+ enc("2026-10-25T01:59:59.999999Z"),
						"created_at >= '2026-03-28T10:17:00.5Z' and created_at <= '2026-10-25T01:59:59.999999Z'")));
		List<List<String>> keySets = List.of(List.of(), List.of("state"), List.of("day", "state"),
				List.of("video_quality", "hour"), List.of("week"), List.of("month", "video_quality"));
		List<String> zones = List.of("UTC", "Europe/Berlin", "America/New_York");
		// by reason or console user (V51): all time, states and qualities only
		List<List<Filter>> valueFilterSets = List.of(List.of(), List.of(FILTERS.get(0)), List.of(FILTERS.get(2)),
				List.of(FILTERS.get(1), FILTERS.get(2)));
		List<List<String>> valueKeySets = List.of(List.of("reason"), List.of("created_by", "state"),
				List.of("video_quality", "reason"), List.of("created_by"));
		// by device name or id (V52), alone or with state: all time, states only (one
		// state when state is not a key); small limits cut between groups of equal count
		List<List<String>> deviceKeySets = List.of(List.of("device_name"), List.of("device_id"),
				List.of("state", "device_name"), List.of("device_id", "state"));
		List<List<Filter>> deviceFilterSets = List.of(List.of(), List.of(FILTERS.get(1)), List.of(FILTERS.get(0)));
		Runnable compareAll = () -> {
			double before = cellReads();
			int queries = 0;
			for (List<Filter> filters : filterSets) {
				for (List<String> keys : keySets) {
					compare(owner, filters, keys, zones.get(queries % zones.size()), 1000);
					queries++;
				}
			}
			for (List<Filter> filters : valueFilterSets) {
				for (List<String> keys : valueKeySets) {
					compare(owner, filters, keys, "UTC", 1 + queries % 3);
					queries++;
				}
			}
			for (List<Filter> filters : deviceFilterSets) {
				for (List<String> keys : deviceKeySets) {
					if (filters.contains(FILTERS.get(0)) && !keys.contains("state")) {
						continue;
					}
					compare(owner, filters, keys, "UTC", List.of(1, 2, 3, 50).get(queries % 4));
					queries++;
				}
			}
			assertThat(cellReads() - before).as("answered from the kept cells").isEqualTo(queries);
		};
		withoutFolding(owner, () -> {
			insert(owner, 400, random, new ArrayList<>());
			compareAll.run();
		});
		foldAll(owner);
		compareAll.run();
		withoutFolding(owner, () -> {
			changeSessions(owner);
			compareAll.run();
		});
		foldAll(owner);
		compareAll.run();
		// nothing changed since: the same answers, from cells kept in memory (V59)
		double hits = keptCellHits();
		compareAll.run();
		assertThat(keptCellHits()).as("kept cells used again").isGreaterThan(hits);
		// a zone whose buckets are not whole UTC hours is answered from the rows, as
		// exactly
		double before = cellReads();
		compare(owner, List.of(), List.of("day"), "Asia/Kolkata", 1000);
		assertThat(cellReads()).isEqualTo(before);
		// so is a time key over more than 5 years (clients date their sessions)
		this.jdbc.update("""
				update rv_session set created_at = '2019-06-01T12:00:00Z'
				where tenant_id = ? and session_id = (select session_id from rv_session where tenant_id = ?
				    order by session_id limit 1)""", owner.id(), owner.id());
		compare(owner, List.of(), List.of("month"), "UTC", 1000);
		assertThat(cellReads()).isEqualTo(before);
		compare(owner, List.of(), List.of("state"), "UTC", 1000);
		assertThat(cellReads()).isEqualTo(before + 1);
	}

	/**
	 * Runs the work while no compactor can fold (this test holds their turn), then checks
	 * that the work left deltas to add: the reads in it met them unfolded.
	 */
	void withoutFolding(TestTenant owner, Runnable work) {
		try (Connection turn = this.dataSource.getConnection()) {
			turn.setAutoCommit(true);
			try (Statement statement = turn.createStatement()) {
				statement.execute("select pg_advisory_lock(hashtext('rv_stats_device_delta'))");
				try {
					work.run();
					assertThat(deltasLeft(owner)).as("deltas not folded").isPositive();
				}
				finally {
					statement.execute("select pg_advisory_unlock(hashtext('rv_stats_device_delta'))");
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The longest sessions go, others end later or fail, some move to another hour; a
	 * console user and a device are renamed, sessions move to new devices.
	 */
	void changeSessions(TestTenant owner) {
		this.jdbc.update("""
				delete from rv_session where tenant_id = ? and session_id in (
				    select session_id from rv_session where tenant_id = ? and duration_us is not null
				    order by duration_us desc limit 5)""", owner.id(), owner.id());
		this.jdbc.update("""
				update rv_session set ended_at = ended_at + interval '17 minutes', state = 'FAILED'
				where tenant_id = ? and session_id in (
				    select session_id from rv_session where tenant_id = ? and state = 'TERMINATED'
				      and started_at is not null order by session_id limit 20)""", owner.id(), owner.id());
		this.jdbc.update("""
				update rv_session set created_at = created_at - interval '3 hours'
				where tenant_id = ? and session_id in (
				    select session_id from rv_session where tenant_id = ? order by session_id desc limit 10)""",
				owner.id(), owner.id());
		// a console user renamed, and the longest session of a reason gone
		this.jdbc.update("""
				update rv_session set created_by = 'carol@example.com', created_by_lc = 'carol@example.com'
				where tenant_id = ? and created_by = 'bob@example.com'""", owner.id());
		this.jdbc.update("""
				delete from rv_session where tenant_id = ? and session_id in (
				    select session_id from rv_session where tenant_id = ? and reason = 'Device went offline'
				      and duration_us is not null order by duration_us desc limit 1)""", owner.id(), owner.id());
		// a device renamed, another's sessions moved to a new device
		this.jdbc.update("""
				update rv_session set device_name = 'Zebra 2', device_name_lc = 'zebra 2'
				where tenant_id = ? and device_name = 'Zebra'""", owner.id());
		this.jdbc.update("""
				update rv_session set device_id = gen_random_uuid()
				where tenant_id = ? and device_name = 'Tablet B' and state = 'ACTIVE'""", owner.id());
		// a long session added to a cell that did not exist and removed again, most
		// likely before a fold: the cell's maximum must not keep it
		for (int seconds : new int[] { 9000, 1000 }) {
			this.jdbc.update("""
					insert into rv_session (tenant_id, session_id, device_id, device_name, device_state, state,
					    video_quality, reason, created_by, updated_by, created_at, updated_at, started_at, ended_at,
					    device_name_lc, reason_lc, created_by_lc)
					select tenant_id, gen_random_uuid(), device_id, device_name, device_state, 'FAILED', 'STANDARD',
					       reason, created_by, updated_by, '2026-08-15T10:05:00Z', '2026-08-15T13:00:00Z',
					       '2026-08-15T10:06:00Z', '2026-08-15T10:06:00Z'::timestamptz + make_interval(secs => ?),
					       device_name_lc, reason_lc, created_by_lc
					from rv_session where tenant_id = ? limit 1""", seconds, owner.id());
		}
		this.jdbc.update("delete from rv_session where tenant_id = ? and created_at = '2026-08-15T10:05:00Z'"
				+ " and duration_us = 9000000000", owner.id());
	}

	/**
	 * Folds until none of the tenant's deltas is left (another test context's compactor
	 * may hold the turn for a moment).
	 */
	void foldAll(TestTenant owner) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		long left;
		do {
			this.compactor.compact();
			left = deltasLeft(owner);
		}
		while (left > 0 && System.nanoTime() < deadline);
		assertThat(left).as("deltas left after folding").isZero();
	}

	long deltasLeft(TestTenant owner) {
		return StatisticsDeltas.left(this.jdbc, owner.id());
	}

	double keptCellHits() {
		return this.meters.get("cache.gets")
			.tag("cache", "rvfeed.stats.kept-cells")
			.tag("result", "hit")
			.functionCounter()
			.count();
	}

	double cellReads() {
		return this.meters.get("rvfeed.stats.reads").tag("source", "cells").counter().count();
	}

	@Test
	void aTenantSeesOnlyItsOwnSessions() {
		long own = this.jdbc.queryForObject("select count(*) from rv_session where tenant_id = ?", Long.class,
				this.other.id());
		JsonNode content = stats(this.other, "group_by=device_name&limit=1000");
		assertThat(content.get("total").get("count").asLong()).isEqualTo(own);
		compare(this.other, List.of(), List.of("device_id"), "UTC", 1000);
		JsonNode none = stats(this.empty, "group_by=device_name");
		assertThat(none.get("total").get("count").asLong()).isZero();
		assertThat(none.get("total").get("failure_rate").isNull()).isTrue();
		assertThat(none.get("total").get("duration").get("count").asLong()).isZero();
		assertThat(none.get("total").get("duration").get("sum").asString()).isEqualTo("PT0S");
		assertThat(none.get("total").get("duration").get("p50").isNull()).isTrue();
		assertThat(none.get("group_count").asLong()).isZero();
		assertThat(none.get("groups")).isEmpty();
	}

	@Test
	void limitDefaultsAndCaps() {
		JsonNode all = stats(this.tenant, "group_by=device_id,state&limit=1000");
		long groups = all.get("group_count").asLong();
		assertThat(groups).isGreaterThan(50);
		assertThat(stats(this.tenant, "group_by=device_id,state").get("groups")).hasSize(50);
		assertThat(stats(this.tenant, "group_by=device_id,state&limit=0").get("groups")).hasSize(50);
		assertThat(stats(this.tenant, "group_by=device_id,state&limit=99999999999999999999").get("groups"))
			.hasSize((int) Math.min(groups, 1000));
		assertThat(stats(this.tenant, "group_by=device_id,state&limit=7").get("groups")).hasSize(7);
		// the feed's own paging parameters do not apply
		assertThat(stats(this.tenant, "group_by=state&offset=3&ordering=-duration").get("groups")).hasSize(5);
	}

	@Test
	void badParametersAreAllListedInOne400() {
		HttpApi.Reply reply = call(this.tenant, "group_by=nope,state,day&tz=Mars/Base&limit=-1&states=bogus"
				+ "&duration_lt=soon&created_at_gte=yesterday");
		JsonNode body = FeedApi.assertError(reply, 400);
		String errors = body.get("errors").toString();
		assertThat(body.get("errors")).hasSize(7);
		assertThat(errors).contains("group_by", "'nope'", "at most 2 keys", "tz", "limit", "states", "duration_lt",
				"created_at_gte");
		FeedApi.assertBadRequest(call(this.tenant, "group_by=day,DAY"), "more than once");
		FeedApi.assertBadRequest(call(this.tenant, "tz=%2B02:00"), "tz");
		FeedApi.assertBadRequest(call(this.tenant, "tz=UTC&tz=Europe/Berlin"), "tz");
		FeedApi.assertBadRequest(call(this.tenant, "limit=ten"), "limit");
		FeedApi.assertBadRequest(call(this.tenant, "group_by=" + enc("state\u0000")), "group_by");
		// without the scope or a key
		TestTenant writer = new TestTenant(this.tenant.id(),
				this.tenants.addKey(this.tenant.id(), "writer", EnumSet.of(Scope.SESSIONS_WRITE)));
		FeedApi.assertError(call(writer, "group_by=state"), 403);
		FeedApi.assertError(this.api.get(PATH).send(), 401);
		// without the trailing slash, and empty values count as absent
		assertThat(FeedApi
			.content(this.api.get("/api/v2/rv-activity-stats?group_by=&tz=&limit=").key(this.tenant.key()).send())
			.get("tz")
			.asString()).isEqualTo("UTC");
	}

	HttpApi.Reply call(TestTenant who, String query) {
		return this.api.get(PATH + "?" + query).key(who.key()).send();
	}

	JsonNode stats(TestTenant who, String query) {
		return FeedApi.content(call(who, query));
	}

	/** The reference key expressions, written apart from the service's. */
	static String referenceKey(String key, String zone) {
		String z = "'" + zone + "'";
		return switch (key) {
			// the local time's minutes and seconds taken off: the hour at the session's
			// own offset
			case "hour" -> "(created_at - ((created_at at time zone " + z
					+ ") - date_trunc('hour', created_at at time zone " + z + ")))";
			case "day", "week", "month" ->
				"(date_trunc('" + key + "', created_at at time zone " + z + ") at time zone " + z + ")";
			default -> key;
		};
	}

	void compare(TestTenant who, List<Filter> filters, List<String> keys, String zone, int limit) {
		String query = "tz=" + enc(zone) + "&limit=" + limit
				+ (keys.isEmpty() ? "" : "&group_by=" + String.join(",", keys))
				+ filters.stream().map((f) -> "&" + f.parameter()).reduce("", String::concat);
		String as = query + " (seed " + SEED + ")";
		JsonNode content = stats(who, query);
		StringBuilder where = new StringBuilder("tenant_id = '" + who.id() + "'");
		filters.forEach((f) -> where.append(" and ").append(f.sql()));
		List<String> selectKeys = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			selectKeys.add(referenceKey(keys.get(i), zone) + " as k" + i);
		}
		String metrics = """
				count(*) as n,
				count(*) filter (where state = 'INITIATED') as s_initiated,
				count(*) filter (where state = 'ACKNOWLEDGED') as s_acknowledged,
				count(*) filter (where state = 'ACTIVE') as s_active,
				count(*) filter (where state = 'TERMINATED') as s_terminated,
				count(*) filter (where state = 'FAILED') as s_failed,
				count(duration_us) as d_n, sum(duration_us) as d_sum,
				percentile_cont(0.5) within group (order by duration_us) as d_p50,
				percentile_cont(0.95) within group (order by duration_us) as d_p95,
				max(duration_us) as d_max""";
		Map<String, Object> total = this.jdbc.queryForMap("select " + metrics + " from rv_session where " + where);
		assertMetrics(content.get("total"), total, as + " total");
		assertThat(content.get("group_by").valueStream().map(JsonNode::asString).toList()).isEqualTo(keys);
		if (keys.isEmpty()) {
			assertThat(content.get("groups")).isEmpty();
			assertThat(content.get("group_count").asLong()).isZero();
			return;
		}
		List<String> groupBy = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			groupBy.add("k" + i);
		}
		List<Map<String, Object>> expected = new ArrayList<>(
				this.jdbc.queryForList("select " + String.join(", ", selectKeys) + ", " + metrics
						+ " from rv_session where " + where + " group by " + String.join(", ", groupBy)));
		Comparator<Map<String, Object>> order = Comparator
			.comparing((Map<String, Object> row) -> ((Number) row.get("n")).longValue())
			.reversed();
		for (int i = 0; i < keys.size(); i++) {
			String column = "k" + i;
			order = order.thenComparing((row) -> sortable(row.get(column)),
					Comparator.nullsLast(Comparator.naturalOrder()));
		}
		expected.sort(order);
		assertThat(content.get("group_count").asLong()).as(as).isEqualTo(expected.size());
		List<Map<String, Object>> top = expected.subList(0, Math.min(limit, expected.size()));
		JsonNode groups = content.get("groups");
		assertThat(groups).as(as).hasSize(top.size());
		ZoneId zoneId = ZoneId.of(zone);
		for (int g = 0; g < top.size(); g++) {
			Map<String, Object> row = top.get(g);
			JsonNode group = groups.get(g);
			Map<String, String> expectedKey = new LinkedHashMap<>();
			for (int i = 0; i < keys.size(); i++) {
				expectedKey.put(keys.get(i), keyText(row.get("k" + i), zoneId));
			}
			Map<String, String> actualKey = new LinkedHashMap<>();
			group.get("key").properties().forEach((e) -> actualKey.put(e.getKey(), FeedApi.text(e.getValue())));
			assertThat(actualKey).as(as + " group " + g).isEqualTo(expectedKey);
			assertMetrics(group, row, as + " group " + expectedKey);
		}
	}

	/**
	 * Code-point order for text (ASCII and Latin-1 here), byte order for uuids, time
	 * order.
	 */
	static String sortable(Object value) {
		if (value == null) {
			return null;
		}
		Instant instant = (value instanceof Timestamp time) ? time.toInstant()
				: (value instanceof OffsetDateTime time) ? time.toInstant() : null;
		if (instant != null) {
			return String.format("%020d", ChronoUnit.MICROS.between(Instant.EPOCH, instant));
		}
		return value.toString();
	}

	static String keyText(Object value, ZoneId zone) {
		if (value == null) {
			return null;
		}
		Instant instant = (value instanceof Timestamp time) ? time.toInstant()
				: (value instanceof OffsetDateTime time) ? time.toInstant() : null;
		if (instant != null) {
			return instant.atZone(zone).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		}
		return value.toString();
	}

	static void assertMetrics(JsonNode actual, Map<String, Object> expected, String as) {
		assertThat(actual.get("count").asLong()).as(as).isEqualTo(number(expected.get("n")));
		Map<String, Long> states = new HashMap<>();
		actual.get("states").properties().forEach((e) -> states.put(e.getKey(), e.getValue().asLong()));
		Map<String, Long> expectedStates = new HashMap<>();
		for (SessionState state : SessionState.values()) {
			expectedStates.put(state.name(), number(expected.get("s_" + state.name().toLowerCase())));
		}
		assertThat(states).as(as).isEqualTo(expectedStates);
		long ended = expectedStates.get("TERMINATED") + expectedStates.get("FAILED");
		if (ended == 0) {
			assertThat(actual.get("failure_rate").isNull()).as(as).isTrue();
		}
		else {
			assertThat(actual.get("failure_rate").asDouble()).as(as)
				.isCloseTo((double) expectedStates.get("FAILED") / ended, within(1e-12));
		}
		JsonNode duration = actual.get("duration");
		assertThat(duration.get("count").asLong()).as(as).isEqualTo(number(expected.get("d_n")));
		long sum = (expected.get("d_sum") != null) ? number(expected.get("d_sum")) : 0;
		assertThat(micros(duration.get("sum"))).as(as + " sum").isEqualTo(sum);
		assertPercentile(duration.get("p50"), expected.get("d_p50"), as + " p50");
		assertPercentile(duration.get("p95"), expected.get("d_p95"), as + " p95");
		if (expected.get("d_max") == null) {
			assertThat(duration.get("max").isNull()).as(as).isTrue();
		}
		else {
			assertThat(micros(duration.get("max"))).as(as + " max").isEqualTo(number(expected.get("d_max")));
		}
	}

	static void assertPercentile(JsonNode actual, Object expected, String as) {
		if (expected == null) {
			assertThat(actual.isNull()).as(as).isTrue();
			return;
		}
		// the kept cells' histograms: within 1 % (and the rounding to a microsecond)
		double exact = ((Number) expected).doubleValue();
		assertThat((double) micros(actual)).as(as).isCloseTo(exact, within(0.5 + exact * 0.01));
	}

	static long micros(JsonNode iso) {
		Duration duration = Duration.parse(iso.asString());
		return Objects.requireNonNull(duration).getSeconds() * 1_000_000 + duration.getNano() / 1000;
	}

	static long number(Object value) {
		return ((Number) value).longValue();
	}

}
