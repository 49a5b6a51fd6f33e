package io.rvfeed.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.session.SessionRow;
import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.SessionFixtures;
import io.rvfeed.support.TestTenants.TestTenant;
import io.rvfeed.support.WriteApi;

import static io.rvfeed.support.FeedApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The joint counts (V43): random combinations of two or three of the filters they serve
 * (states, qualities, reason, the time ranges, the duration range), with bounds on and
 * around the edges of their buckets, each count checked against the inserted rows (plain
 * Java predicates) and against the page itself; and counts that follow writes before and
 * after compaction.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedJointCountsIT extends ServiceTest {

	static final Instant MIDNIGHT = Instant.parse("2025-03-10T00:00:00Z");

	static final Duration MICRO = Duration.ofNanos(1000);

	static final String[] REASONS = { "Device went offline", "Network OFFLINE again", "Ended by console user",
			"idle timeout", null };

	/** Durations on and beside the bucket bounds of 1 s, 1 min, 10 min and 8 h. */
	static final List<Duration> DURATIONS = List.of(Duration.ZERO, Duration.ofMillis(300),
			Duration.ofSeconds(1).minus(MICRO), Duration.ofSeconds(1), Duration.ofSeconds(42), Duration.ofMinutes(1),
			Duration.ofMinutes(1).plus(MICRO), Duration.ofMinutes(10).minus(MICRO), Duration.ofMinutes(10),
			Duration.ofMinutes(10).plus(MICRO), Duration.ofMinutes(13), Duration.ofHours(8), Duration.ofDays(9));

	/** Bounds the combinations draw from: on, beside and between the edges. */
	static final List<Duration> DURATION_BOUNDS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(30),
			Duration.ofSeconds(45), Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(10).plus(MICRO),
			Duration.ofMinutes(12), Duration.ofHours(8), Duration.ofDays(3));

	static final List<Instant> TIME_BOUNDS = List.of(MIDNIGHT.minus(Duration.ofDays(4)), MIDNIGHT.minus(MICRO),
			MIDNIGHT, MIDNIGHT.plus(MICRO), MIDNIGHT.plusSeconds(13 * 3600), MIDNIGHT.plus(Duration.ofDays(2)),
			MIDNIGHT.plus(Duration.ofDays(5)).plusSeconds(600));

	@Autowired
	DSLContext db;

	@Autowired
	PlatformTransactionManager transactions;

	TestTenant tenant;

	List<SessionRow> rows = new ArrayList<>();

	@BeforeAll
	void insertSessions() {
		this.tenant = this.tenants.create();
		TestTenant other = this.tenants.create();
		Random random = new Random(43);
		List<SessionFixtures.Builder> builders = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			// created over ten days around MIDNIGHT, some exactly on an edge
			Instant created = (i % 9 == 0) ? TIME_BOUNDS.get(i % TIME_BOUNDS.size())
					: MIDNIGHT.minus(Duration.ofDays(5)).plusSeconds(random.nextInt(10 * 86400));
			SessionFixtures.Builder session = this.fixtures.session(this.tenant)
				.createdAt(created)
				.reason(REASONS[random.nextInt(REASONS.length)])
				.videoQuality(random.nextBoolean() ? VideoQuality.STANDARD : VideoQuality.DATA_SAVER);
			int kind = random.nextInt(6);
			if (kind == 0) {
				session.state(SessionState.ACTIVE).startedAt(created.plusSeconds(1));
			}
			else if (kind == 1) {
				session.state(SessionState.ACKNOWLEDGED);
			}
			else {
				session.state((kind == 2) ? SessionState.FAILED : SessionState.TERMINATED)
					.duration(DURATIONS.get(random.nextInt(DURATIONS.size())));
			}
			if (i % 4 == 0) {
				Instant edge = TIME_BOUNDS.get(i % TIME_BOUNDS.size());
				session.updatedAt(
						(i % 8 == 0 && edge.isAfter(created)) ? edge : created.plusSeconds(random.nextInt(3 * 86400)));
			}
			builders.add(session);
		}
		this.rows.addAll(this.fixtures.insert(builders.toArray(SessionFixtures.Builder[]::new)));
		// the same values in another tenant must not count
		this.fixtures.insert(this.fixtures.session(other)
			.createdAt(MIDNIGHT)
			.reason("Device went offline")
			.duration(Duration.ofMinutes(13)));
	}

	@Test
	void randomCombinationsOfTwoOrThreeFiltersCountExactly() {
		long seed = new Random().nextLong();
		Random random = new Random(seed);
		for (int i = 0; i < 80; i++) {
			int filters = 2 + random.nextInt(2);
			List<String> kinds = new ArrayList<>(
					List.of("states", "video_qualities", "reason", "created_at", "updated_at", "duration"));
			StringBuilder query = new StringBuilder();
			Predicate<SessionRow> matches = (row) -> true;
			for (int f = 0; f < filters; f++) {
				String kind = kinds.remove(random.nextInt(kinds.size()));
				Filter filter = filter(kind, random);
				query.append('&').append(filter.query());
				matches = matches.and(filter.matches());
			}
			assertCount(query.substring(1), matches, seed);
		}
	}

	@Test
	void theBenchmarksCombinationsOnBucketEdges() {
		assertCount("states=TERMINATED&video_qualities=STANDARD&reason=offline",
				(row) -> row.state() == SessionState.TERMINATED && row.videoQuality() == VideoQuality.STANDARD
						&& reasonContains(row, "offline"),
				0);
		assertCount("duration_gt=PT10M&states=TERMINATED&updated_at_lt=" + enc(MIDNIGHT.toString()),
				(row) -> durationIn(row, 600_000_000L, true, null) && row.state() == SessionState.TERMINATED
						&& row.updatedAt().isBefore(MIDNIGHT),
				0);
		assertCount("duration_lt=PT1M&reason=console&updated_at_gte=" + enc(MIDNIGHT.plus(MICRO).toString()),
				(row) -> durationIn(row, null, false, 60_000_000L) && reasonContains(row, "console")
						&& !row.updatedAt().isBefore(MIDNIGHT.plus(MICRO)),
				0);
	}

	@Test
	void countsFollowWritesBeforeAndAfterCompaction() {
		TestTenant fresh = this.tenants.create();
		WriteApi write = write(fresh);
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ids.add(write.createSession(UUID.randomUUID(), "2024-06-01T10:00:0" + i + "Z"));
		}
		String query = "states=FAILED&reason=offline&duration_gte=PT10S";
		assertThat(count(fresh, query)).isZero();
		for (int i = 0; i < 4; i++) {
			UUID id = ids.get(i);
			assertThat(write.event(id, "ACTIVE", "2024-06-01T10:00:1" + i + "Z").status()).isEqualTo(201);
			assertThat(write
				.event(id,
						"{\"state\":\"FAILED\",\"occurred_at\":\"2024-06-02T10:00:0" + i
								+ "Z\",\"reason\":\"Device went Offline\"}")
				.status()).isEqualTo(201);
		}
		for (int pass = 0; pass < 2; pass++) {
			assertThat(count(fresh, query)).isEqualTo(4);
			assertThat(count(fresh, "states=FAILED&updated_at_gte=2024-06-02&duration_lt=P2D")).isEqualTo(4);
			assertThat(count(fresh, "states=ACTIVE,INITIATED&created_at_gte=2024-06-01T10:00:01Z")).isEqualTo(2);
			assertThat(count(fresh, "video_qualities=STANDARD&updated_at_lt=2024-06-02")).isEqualTo(2);
			new TransactionTemplate(this.transactions)
				.executeWithoutResult((status) -> KeptCounts.JOINT.compact(this.db));
		}
	}

	record Filter(String query, Predicate<SessionRow> matches) {
	}

	private static Filter filter(String kind, Random random) {
		switch (kind) {
			case "states" -> {
				List<SessionState> states = new ArrayList<>(List.of(SessionState.values()));
				Collections.shuffle(states, random);
				List<SessionState> chosen = states.subList(0, 1 + random.nextInt(3));
				return new Filter("states=" + String.join(",", chosen.stream().map(Enum::name).toList()),
						(row) -> chosen.contains(row.state()));
			}
			case "video_qualities" -> {
				VideoQuality quality = VideoQuality.values()[random.nextInt(2)];
				return new Filter("video_qualities=" + quality, (row) -> row.videoQuality() == quality);
			}
			case "reason" -> {
				String term = List.of("offline", "OFFLINE", "console", "e", "idle timeout", "nothing")
					.get(random.nextInt(6));
				return new Filter("reason=" + enc(term), (row) -> reasonContains(row, term));
			}
			case "duration" -> {
				return range("duration", random, DURATION_BOUNDS, (bound) -> bound.toString(),
						(row, bound, comparison) -> {
							Long micros = SessionFixtures.durationMicros(row);
							return micros != null
									&& FeedFacetCountsIT.compare(micros, bound.toNanos() / 1000, comparison);
						});
			}
			default -> {
				boolean created = kind.equals("created_at");
				return range(kind, random, TIME_BOUNDS, (bound) -> enc(bound.toString()),
						(row, bound, comparison) -> FeedFacetCountsIT
							.compare(created ? row.createdAt() : row.updatedAt(), bound, comparison));
			}
		}
	}

	interface Matcher<T> {

		boolean matches(SessionRow row, T bound, String comparison);

	}

	/** One bound or two (a range), each with a random comparison. */
	private static <T> Filter range(String name, Random random, List<T> bounds, Function<T, String> text,
			Matcher<T> matcher) {
		T first = bounds.get(random.nextInt(bounds.size()));
		String firstComparison = FeedFacetCountsIT.COMPARISONS.get(random.nextInt(4));
		if (random.nextBoolean()) {
			return new Filter(name + "_" + firstComparison + "=" + text.apply(first),
					(row) -> matcher.matches(row, first, firstComparison));
		}
		T second = bounds.get(random.nextInt(bounds.size()));
		String lower = random.nextBoolean() ? "gt" : "gte";
		String upper = random.nextBoolean() ? "lt" : "lte";
		return new Filter(
				name + "_" + lower + "=" + text.apply(first) + "&" + name + "_" + upper + "=" + text.apply(second),
				(row) -> matcher.matches(row, first, lower) && matcher.matches(row, second, upper));
	}

	private void assertCount(String query, Predicate<SessionRow> matches, long seed) {
		long expected = this.rows.stream().filter(matches).count();
		String as = query + " (seed " + seed + ")";
		assertThat(count(this.tenant, query)).as(as).isEqualTo(expected);
		assertThat(this.api.ids(this.tenant, "limit=500&" + query)).as(as).hasSize((int) expected);
		// pages in time order, placed by the joint counts (PageWindow): the same rows as
		// the whole order, at several depths
		Random random = new Random(seed ^ query.hashCode());
		String ordering = ORDERINGS.get(random.nextInt(ORDERINGS.size()));
		List<UUID> ordered = this.rows.stream()
			.filter(matches)
			.sorted(order(ordering))
			.map(SessionRow::sessionId)
			.toList();
		for (int offset : List.of(0, 1 + random.nextInt(5), (int) expected / 2, Math.max(0, (int) expected - 2))) {
			int limit = 1 + random.nextInt(7);
			String page = "ordering=" + ordering + "&limit=" + limit + "&offset=" + offset + "&" + query;
			assertThat(this.api.ids(this.tenant, page)).as(page + " (seed " + seed + ")")
				.containsExactlyElementsOf(
						ordered.subList(Math.min(offset, ordered.size()), Math.min(offset + limit, ordered.size())));
		}
	}

	static final List<String> ORDERINGS = List.of("-created_at", "created_at", "-updated_at", "updated_at");

	/**
	 * The feed's order: the key, then (unless the key is created_at) created_at
	 * descending, then session_id in PostgreSQL's order (unsigned bytes, as the text).
	 */
	private static Comparator<SessionRow> order(String ordering) {
		boolean descending = ordering.startsWith("-");
		Comparator<SessionRow> key = Comparator
			.comparing(ordering.endsWith("created_at") ? SessionRow::createdAt : SessionRow::updatedAt);
		if (descending) {
			key = key.reversed();
		}
		if (ordering.endsWith("updated_at")) {
			key = key.thenComparing(SessionRow::createdAt, Comparator.reverseOrder());
		}
		return key.thenComparing((row) -> row.sessionId().toString());
	}

	private long count(TestTenant tenant, String query) {
		return this.api.page(tenant, "limit=1&" + query).get("count").asLong();
	}

	private static boolean reasonContains(SessionRow row, String term) {
		return row.reason() != null && row.reason().toLowerCase(Locale.ROOT).contains(term.toLowerCase(Locale.ROOT));
	}

	private static boolean durationIn(SessionRow row, Long low, boolean exclusive, Long below) {
		Long micros = SessionFixtures.durationMicros(row);
		if (micros == null) {
			return false;
		}
		if (low != null && (exclusive ? micros <= low : micros < low)) {
			return false;
		}
		return below == null || micros < below;
	}

}
