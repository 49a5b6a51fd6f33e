package io.rvfeed.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import io.rvfeed.session.SessionRow;
import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;
import io.rvfeed.support.FeedApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.SessionFixtures;
import io.rvfeed.support.TestTenants.TestTenant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ordering}: every key in both directions, with ties, NULLs, mixed case and
 * non-ASCII text, combinations of keys, and offset paging that never overlaps or skips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedOrderingIT extends ServiceTest {

	static final String[] KEYS = { "created_at", "updated_at", "device_name", "duration", "state", "reason",
			"video_quality", "created_by" };

	/**
	 * Device names: mixed case, ties, non-ASCII, BMP above the surrogates and beyond it.
	 */
	static final List<String> DEVICE_NAMES = List.of("", "a", "APPLE", "Apple", "apple", "apple", "Banana", "banana",
			"Zebra", "zebra", "Äpfel", "éclair", "Ωmega", "ωmega", "\uFF5A\uFF45\uFF4E", "\uD83D\uDE00 smile",
			"\uD83D\uDE00 Smile", "Zebra", "b", "B");

	static final String[] REASONS = { null, "Timeout", "timeout", "TIMEOUT", "éclair", "Zebra", null, "apple", "Apple",
			"\uD83D\uDE00", "\uFF5A", "user left", null, "zebra", "Äpfel", "", "apple", null, "B", "b" };

	static final String[] CREATORS = { null, "alice@x.io", "Alice@x.io", "bob@x.io", "Émile", "zed", null, "ALICE@X.IO",
			"émile", "bob@x.io", null, "Zed", "\uD83D\uDE00", "\uFF5A", null, "alice@x.io", "b", "B", "zed", null };

	static final Duration[] DURATIONS = { Duration.ZERO, Duration.ofMillis(500), Duration.parse("PT10M30S"), null,
			Duration.parse("PT10M30S"), Duration.ofHours(26), Duration.ofNanos(1000), Duration.ZERO };

	TestTenant tenant;

	List<SessionRow> rows;

	@BeforeAll
	void seed() {
		this.tenant = this.tenants.create();
		Instant base = Instant.parse("2024-05-01T08:00:00.123456Z");
		SessionState[] states = SessionState.values();
		List<SessionFixtures.Builder> builders = new ArrayList<>();
		int terminal = 0;
		for (int i = 0; i < DEVICE_NAMES.size(); i++) {
			// rows 0-3 share a creation time, rows 4-5 another, so created_at has ties
			Instant created = (i < 4) ? base : (i < 6) ? base.plusSeconds(60) : base.plusSeconds(60L * i + i % 3);
			SessionState state = states[(i * 3) % states.length];
			SessionFixtures.Builder builder = this.fixtures.session(this.tenant)
				.deviceName(DEVICE_NAMES.get((i * 7) % DEVICE_NAMES.size()))
				.state(state)
				.videoQuality((i % 3 == 0) ? VideoQuality.DATA_SAVER : VideoQuality.STANDARD)
				.reason(REASONS[i])
				.createdBy(CREATORS[i])
				.createdAt(created)
				// updated_at ties in pairs
				.updatedAt(base.plusSeconds(3600 + 30L * (i / 2)));
			if (state == SessionState.ACTIVE) {
				builder.startedAt(created.plusSeconds(5));
			}
			if (state.isTerminal()) {
				Duration duration = DURATIONS[terminal++ % DURATIONS.length];
				if (duration != null) {
					builder.startedAt(created.plusSeconds(5)).endedAt(created.plusSeconds(5).plus(duration));
				}
			}
			builders.add(builder);
		}
		this.rows = this.fixtures.insert(builders.toArray(SessionFixtures.Builder[]::new));
		assertThat(this.rows.stream().map(SessionFixtures::durationMicros).filter((d) -> d != null).count())
			.isGreaterThanOrEqualTo(5);
		assertThat(this.rows.stream().filter((r) -> SessionFixtures.durationMicros(r) == null).count())
			.isGreaterThanOrEqualTo(5);
	}

	static Stream<String> everyKeyBothWays() {
		return Arrays.stream(KEYS).flatMap((key) -> Stream.of(key, "-" + key));
	}

	@ParameterizedTest
	@MethodSource("everyKeyBothWays")
	void ordersByEveryKeyInBothDirections(String ordering) {
		List<UUID> actual = this.api.ids(this.tenant, "limit=500&ordering=" + ordering);
		assertThat(actual).as(ordering).containsExactlyElementsOf(ExpectedOrder.of(this.rows, ordering));
	}

	@ParameterizedTest
	@ValueSource(strings = { "state,-device_name", "video_quality,duration", "-reason,created_by,updated_at",
			"-video_quality,-state,reason", "-duration,-created_by", "updated_at,-created_at", "created_by,created_at",
			"device_name,-reason,state,video_quality,duration,created_by,updated_at,created_at" })
	void ordersByCombinedKeys(String ordering) {
		List<UUID> actual = this.api.ids(this.tenant, "limit=500&ordering=" + ordering);
		assertThat(actual).as(ordering).containsExactlyElementsOf(ExpectedOrder.of(this.rows, ordering));
	}

	@Test
	void defaultOrderIsNewestFirstThenSessionId() {
		List<UUID> expected = ExpectedOrder.of(this.rows, "-created_at");
		assertThat(this.api.ids(this.tenant, "limit=500")).containsExactlyElementsOf(expected);
		assertThat(this.api.ids(this.tenant, "limit=500&ordering=")).containsExactlyElementsOf(expected);
	}

	@Test
	void textIsOrderedLowerCasedThenExactByCodePoint() {
		JsonNode ascending = this.api.page(this.tenant, "limit=500&ordering=device_name");
		List<String> names = new ArrayList<>();
		ascending.get("results").forEach((result) -> names.add(result.get("device_name").asString()));
		List<String> expected = this.rows.stream()
			.map(SessionRow::deviceName)
			.sorted((a,
					b) -> (ExpectedOrder.compareCodePoints(a.toLowerCase(java.util.Locale.ROOT),
							b.toLowerCase(java.util.Locale.ROOT)) != 0)
									? ExpectedOrder.compareCodePoints(a.toLowerCase(java.util.Locale.ROOT),
											b.toLowerCase(java.util.Locale.ROOT))
									: ExpectedOrder.compareCodePoints(a, b))
			.toList();
		assertThat(names).containsExactlyElementsOf(expected);
		// the data really tells the rules apart
		assertThat(names).containsSubsequence("APPLE", "Apple", "apple", "Banana", "banana", "Zebra", "zebra", "Äpfel",
				"éclair", "Ωmega", "ωmega", "\uFF5A\uFF45\uFF4E", "\uD83D\uDE00 Smile", "\uD83D\uDE00 smile");
		assertThat("\uFF5A\uFF45\uFF4E".compareTo("\uD83D\uDE00 smile")).as("UTF-16 order differs").isPositive();

		JsonNode descending = this.api.page(this.tenant, "limit=500&ordering=-device_name");
		List<String> reversed = new ArrayList<>();
		descending.get("results").forEach((result) -> reversed.add(result.get("device_name").asString()));
		assertThat(reversed).containsSubsequence("\uD83D\uDE00 smile", "\uD83D\uDE00 Smile", "\uFF5A\uFF45\uFF4E",
				"ωmega", "Ωmega", "éclair", "Äpfel", "zebra", "Zebra", "banana", "Banana", "apple", "Apple", "APPLE");
	}

	@ParameterizedTest
	@ValueSource(strings = { "reason", "-reason", "duration", "-duration", "created_by", "-created_by" })
	void nullsComeLastInBothDirections(String ordering) {
		JsonNode page = this.api.page(this.tenant, "limit=500&ordering=" + ordering);
		String field = ordering.replace("-", "");
		List<Boolean> isNull = new ArrayList<>();
		page.get("results").forEach((result) -> isNull.add(result.get(field).isNull()));
		int firstNull = isNull.indexOf(true);
		assertThat(firstNull).as("some NULLs").isPositive();
		assertThat(isNull.subList(firstNull, isNull.size())).as(ordering).containsOnly(true);
	}

	@ParameterizedTest
	@ValueSource(strings = { "-created_at", "created_at", "video_quality", "-state", "reason", "-duration",
			"created_by,-video_quality", "updated_at" })
	void offsetPagesNeitherOverlapNorSkip(String ordering) {
		List<UUID> walked = new ArrayList<>();
		for (int offset = 0; offset < this.rows.size(); offset += 3) {
			walked.addAll(this.api.ids(this.tenant, "limit=3&offset=" + offset + "&ordering=" + ordering));
		}
		assertThat(new HashSet<>(walked)).hasSize(this.rows.size());
		assertThat(walked).containsExactlyElementsOf(ExpectedOrder.of(this.rows, ordering));
	}

	@ParameterizedTest
	@ValueSource(strings = { "bogus", "CREATED_AT", "created_at,bogus", "-", "--created_at", "%2Bcreated_at",
			"device_name,,nope", "session_id", "created_at;drop", "duration%20desc" })
	void unknownKeysAre400NamingTheAllowedKeys(String ordering) {
		JsonNode body = FeedApi.assertBadRequest(this.api.get(this.tenant, "ordering=" + ordering), "ordering");
		assertThat(body.get("message").asString()).contains("created_at")
			.contains("updated_at")
			.contains("device_name")
			.contains("duration")
			.contains("state")
			.contains("reason")
			.contains("video_quality")
			.contains("created_by");
	}

	@Test
	void orderingGivenTwiceIs400() {
		FeedApi.assertBadRequest(this.api.get(this.tenant, "ordering=state&ordering=reason"), "ordering");
	}

}
