package io.rvfeed.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.SessionFixtures;
import io.rvfeed.support.TestTenants.TestTenant;
import io.rvfeed.support.WriteApi;

import static io.rvfeed.support.FeedApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counts of single filters kept on write (V7) at the edges of their buckets: times
 * one microsecond either side of midnight UTC and durations either side of whole seconds,
 * under every comparison and in ranges inside one bucket, across two and across many.
 * Each count is checked three ways: against the inserted rows (plain Java predicates),
 * against the joint counts (V43: adding a filter that matches every state makes the feed
 * read those, whose buckets have the same edges), and against the page itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedFacetCountsIT extends ServiceTest {

	static final String ALL_STATES = "&states=INITIATED,ACKNOWLEDGED,ACTIVE,TERMINATED,FAILED";

	static final Instant MIDNIGHT = Instant.parse("2024-05-10T00:00:00Z");

	static final Duration MICRO = Duration.ofNanos(1000);

	/** Times around the bucket edges, and the bound values the tests compare with. */
	static final List<Instant> TIMES = List.of(MIDNIGHT.minus(Duration.ofDays(3)),
			MIDNIGHT.minus(MICRO).minusSeconds(86400), MIDNIGHT.minusSeconds(86400), MIDNIGHT.minus(MICRO), MIDNIGHT,
			MIDNIGHT.plus(MICRO), MIDNIGHT.plusSeconds(43200), MIDNIGHT.plusSeconds(86400).minus(MICRO),
			MIDNIGHT.plusSeconds(86400), MIDNIGHT.plus(Duration.ofDays(2)).plus(MICRO),
			MIDNIGHT.plus(Duration.ofDays(9)));

	static final List<Duration> DURATIONS = List.of(Duration.ZERO, MICRO, Duration.ofSeconds(1).minus(MICRO),
			Duration.ofSeconds(1), Duration.ofSeconds(1).plus(MICRO), Duration.ofSeconds(10), Duration.ofSeconds(600),
			Duration.ofSeconds(600).plus(MICRO), Duration.ofSeconds(599).plusMillis(500), Duration.ofHours(5));

	static final List<String> COMPARISONS = List.of("lt", "lte", "gt", "gte");

	@Autowired
	DSLContext db;

	@Autowired
	PlatformTransactionManager transactions;

	TestTenant tenant;

	TestTenant other;

	List<SessionRow> rows = new ArrayList<>();

	@BeforeAll
	void insertSessions() {
		this.tenant = this.tenants.create();
		this.other = this.tenants.create();
		String[] reasons = { "Device went offline", "Network OFFLINE again", "Session idle timeout", null };
		String[] creators = { "Alice@Example.com", "alice@example.com", "bob@example.com", null };
		int i = 0;
		for (Instant created : TIMES) {
			for (Duration duration : DURATIONS) {
				SessionFixtures.Builder session = this.fixtures.session(this.tenant)
					.createdAt(created)
					.deviceName("Kiosk-" + (i % 7) + " Lobby")
					.createdBy(creators[i % creators.length])
					.reason(reasons[i % reasons.length]);
				if (i % 5 == 0) {
					session.state(SessionState.ACTIVE).startedAt(created.plusSeconds(1));
				}
				else {
					session.state((i % 3 == 0) ? SessionState.FAILED : SessionState.TERMINATED).duration(duration);
				}
				// updated_at walks over the same edges, shifted so it is not created_at
				session.updatedAt(TIMES.get((i + 3) % TIMES.size()).plus(Duration.ofDays(20)));
				this.rows.addAll(this.fixtures.insert(session));
				i++;
			}
		}
		// the same values in another tenant must not count
		this.fixtures.insert(this.fixtures.session(this.other)
			.createdAt(MIDNIGHT)
			.deviceName("Kiosk-1 Lobby")
			.reason("Device went offline")
			.createdBy("bob@example.com")
			.duration(Duration.ofSeconds(600)));
	}

	@Test
	void timeBoundsAtEveryEdgeOfADay() {
		for (String column : List.of("created_at", "updated_at")) {
			Function<SessionRow, Instant> value = column.equals("created_at") ? SessionRow::createdAt
					: SessionRow::updatedAt;
			Duration shift = column.equals("created_at") ? Duration.ZERO : Duration.ofDays(20);
			for (Instant pivot : TIMES) {
				Instant bound = pivot.plus(shift);
				for (String comparison : COMPARISONS) {
					assertCount(column + "_" + comparison + "=" + enc(bound.toString()),
							(row) -> compare(value.apply(row), bound, comparison));
				}
			}
			Instant from = MIDNIGHT.plus(shift);
			assertRange(column, value, from.minus(MICRO), from.plus(MICRO));
			assertRange(column, value, from.plusSeconds(60), from.plusSeconds(86300));
			assertRange(column, value, from.minusSeconds(86400), from.plusSeconds(86400));
			assertRange(column, value, from.minusSeconds(86400).plus(MICRO), from.plus(Duration.ofDays(2)));
			assertRange(column, value, from.minus(Duration.ofDays(30)), from.plus(Duration.ofDays(30)));
			assertRange(column, value, from.plusSeconds(10), from.minusSeconds(10));
		}
		// an offset other than Z and a date without a time
		assertCount("created_at_gte=" + enc("2024-05-10T02:00:00+02:00"), (row) -> !row.createdAt().isBefore(MIDNIGHT));
		assertCount("created_at_lt=2024-05-11", (row) -> row.createdAt().isBefore(MIDNIGHT.plusSeconds(86400)));
	}

	@Test
	void durationBoundsAtEveryEdgeOfASecond() {
		for (Duration pivot : DURATIONS) {
			for (String comparison : COMPARISONS) {
				assertCount("duration_" + comparison + "=" + pivot, (row) -> {
					Long micros = SessionFixtures.durationMicros(row);
					return micros != null && compare(micros, pivot.toNanos() / 1000, comparison);
				});
			}
		}
		assertCount("duration_gt=PT0.5S&duration_lt=PT1.5S", (row) -> between(row, 500_000, 1_500_000));
		assertCount("duration_gte=PT1S&duration_lte=PT600S", (row) -> between(row, 999_999, 600_000_001));
		assertCount("duration_gte=PT599.9S&duration_lt=PT600.000001S", (row) -> between(row, 599_899_999, 600_000_001));
	}

	@Test
	void textFiltersAddUpTheMatchingValues() {
		for (String term : List.of("offline", "OFFLINE", "device went", "e", "idle timeout", "nothing like it", "%",
				"_")) {
			assertCount("reason=" + enc(term), (row) -> row.reason() != null
					&& row.reason().toLowerCase(Locale.ROOT).contains(term.toLowerCase(Locale.ROOT)));
		}
		for (String term : List.of("kiosk-1", "KIOSK", "lobby", "kiosk-1 lobby", "kiosk-9")) {
			assertCount("device_name=" + enc(term),
					(row) -> row.deviceName().toLowerCase(Locale.ROOT).contains(term.toLowerCase(Locale.ROOT)));
		}
		for (String creator : List.of("alice@example.com", "ALICE@EXAMPLE.COM", "bob@example.com", "alice")) {
			assertCount("created_by=" + enc(creator), (row) -> row.createdBy() != null
					&& row.createdBy().toLowerCase(Locale.ROOT).equals(creator.toLowerCase(Locale.ROOT)));
		}
	}

	@Test
	void countsFollowWritesBeforeAndAfterCompaction() {
		TestTenant fresh = this.tenants.create();
		WriteApi write = write(fresh);
		List<UUID> ids = sixSessionsCreatedOnJuneFirst(write);
		assertThat(count(fresh, "reason=offline")).isZero();
		assertThat(count(fresh, "duration_gte=PT10S")).isZero();
		assertThat(count(fresh, "updated_at_gte=2024-06-02")).isZero();
		for (int i = 0; i < 4; i++) {
			UUID id = ids.get(i);
			assertThat(write.event(id, "ACTIVE", "2024-06-01T10:00:1" + i + "Z").status()).isEqualTo(201);
			assertThat(write
				.event(id,
						"{\"state\":\"FAILED\",\"occurred_at\":\"2024-06-02T10:00:0" + i
								+ "Z\",\"reason\":\"Device went Offline\"}")
				.status()).isEqualTo(201);
		}
		assertFourOfSixFailedOfflineNextDay(fresh);
	}

	/**
	 * A batch counts the facets of its whole update in one statement (V62): sessions that
	 * end, sessions moved without a facet change and sessions left alone, then a single
	 * event in a transaction of its own.
	 */
	@Test
	void batchesCountTheFacetsOfTheirSessionsOnceEach() {
		TestTenant fresh = this.tenants.create();
		WriteApi write = write(fresh);
		List<UUID> ids = sixSessionsCreatedOnJuneFirst(write);
		StringBuilder batch = new StringBuilder();
		for (int i = 0; i < 4; i++) {
			batch.append(batchEvent(ids.get(i), "ACTIVE", "2024-06-01T10:00:1" + i + "Z", null))
				.append(batchEvent(ids.get(i), "FAILED", "2024-06-02T10:00:0" + i + "Z", "Device went Offline"));
		}
		// the same UTC day, no reason, no duration: no facet changes
		batch.append(batchEvent(ids.get(4), "ACKNOWLEDGED", "2024-06-01T10:00:20Z", null));
		HttpApi.Reply first = write.batch(batch.toString(), "application/x-ndjson");
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertFourOfSixFailedOfflineNextDay(fresh);
		HttpApi.Reply second = write.batch(
				batchEvent(ids.get(4), "ACTIVE", "2024-06-01T10:00:30Z", null)
						+ batchEvent(ids.get(4), "TERMINATED", "2024-06-03T00:00:00Z", "Went offline"),
				"application/x-ndjson");
		assertThat(second.status()).as(second.toString()).isEqualTo(200);
		assertThat(write.event(ids.get(5), "ACTIVE", "2024-06-04T00:00:00Z").status()).isEqualTo(201);
		assertThat(count(fresh, "reason=offline")).isEqualTo(5);
		assertThat(count(fresh, "duration_gte=PT10S")).isEqualTo(5);
		assertThat(count(fresh, "updated_at_gte=2024-06-02")).isEqualTo(6);
		assertThat(count(fresh, "updated_at_lt=2024-06-02")).isZero();
		assertThat(count(fresh, "reason=offline" + ALL_STATES)).as("from the joint counts").isEqualTo(5);
	}

	private static List<UUID> sixSessionsCreatedOnJuneFirst(WriteApi write) {
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ids.add(write.createSession(UUID.randomUUID(), "2024-06-01T10:00:0" + i + "Z"));
		}
		return ids;
	}

	/**
	 * The counts after four of six sessions created on 2024-06-01 failed, with reason
	 * "Device went Offline", on 2024-06-02 and the other two did not end: before and
	 * after a compaction.
	 */
	private void assertFourOfSixFailedOfflineNextDay(TestTenant tenant) {
		for (int pass = 0; pass < 2; pass++) {
			assertThat(count(tenant, "reason=offline")).isEqualTo(4);
			assertThat(count(tenant, "duration_gte=PT10S")).isEqualTo(4);
			assertThat(count(tenant, "duration_gte=PT86390S")).isEqualTo(4);
			assertThat(count(tenant, "duration_gt=PT86390S")).isZero();
			assertThat(count(tenant, "updated_at_gte=2024-06-02")).isEqualTo(4);
			assertThat(count(tenant, "updated_at_lt=2024-06-02")).isEqualTo(2);
			assertThat(count(tenant, "created_at_gte=2024-06-01")).isEqualTo(6);
			new TransactionTemplate(this.transactions)
				.executeWithoutResult((status) -> KeptCounts.FACETS.compact(this.db));
		}
	}

	private static String batchEvent(UUID sessionId, String state, String occurredAt, String reason) {
		return "{\"session_id\":\"" + sessionId + "\",\"state\":\"" + state + "\",\"occurred_at\":\"" + occurredAt
				+ "\"" + ((reason != null) ? ",\"reason\":\"" + reason + "\"" : "") + "}\n";
	}

	private void assertRange(String column, Function<SessionRow, Instant> value, Instant from, Instant to) {
		assertCount(column + "_gte=" + enc(from.toString()) + "&" + column + "_lt=" + enc(to.toString()),
				(row) -> !value.apply(row).isBefore(from) && value.apply(row).isBefore(to));
		assertCount(column + "_gt=" + enc(from.toString()) + "&" + column + "_lte=" + enc(to.toString()),
				(row) -> value.apply(row).isAfter(from) && !value.apply(row).isAfter(to));
	}

	private void assertCount(String query, Predicate<SessionRow> matches) {
		long expected = this.rows.stream().filter(matches).count();
		assertThat(count(this.tenant, query)).as(query).isEqualTo(expected);
		assertThat(count(this.tenant, query + ALL_STATES)).as(query + " from the joint counts").isEqualTo(expected);
		assertThat(this.api.ids(this.tenant, "limit=500&" + query)).as(query).hasSize((int) expected);
	}

	private long count(TestTenant tenant, String query) {
		return this.api.page(tenant, "limit=1&" + query).get("count").asLong();
	}

	static <T extends Comparable<? super T>> boolean compare(T value, T bound, String comparison) {
		int c = value.compareTo(bound);
		return switch (comparison) {
			case "lt" -> c < 0;
			case "lte" -> c <= 0;
			case "gt" -> c > 0;
			default -> c >= 0;
		};
	}

	private static boolean between(SessionRow row, long exclusiveLow, long exclusiveHigh) {
		Long micros = SessionFixtures.durationMicros(row);
		return micros != null && micros > exclusiveLow && micros < exclusiveHigh;
	}

}
