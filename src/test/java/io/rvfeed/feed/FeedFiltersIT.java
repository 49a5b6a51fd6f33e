package io.rvfeed.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import io.rvfeed.session.SessionRow;
import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;
import io.rvfeed.support.FeedApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.SessionFixtures;
import io.rvfeed.support.TestTenants.TestTenant;

import static io.rvfeed.support.FeedApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every filter parameter: what it matches, at its boundaries, how values combine, and the
 * 400 for each kind of bad value. Expected matches are computed from the inserted rows
 * with plain Java predicates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedFiltersIT extends ServiceTest {

	static final Instant T0 = Instant.parse("2024-01-10T00:00:00Z");

	static final String[] SINGLE_VALUED = { "limit", "offset", "reason", "device_name", "created_by", "ordering",
			"duration_lt", "duration_lte", "duration_gt", "duration_gte", "created_at_lt", "created_at_lte",
			"created_at_gt", "created_at_gte", "updated_at_lt", "updated_at_lte", "updated_at_gt", "updated_at_gte" };

	static final String[] TIME_PARAMETERS = { "created_at_lt", "created_at_lte", "created_at_gt", "created_at_gte",
			"updated_at_lt", "updated_at_lte", "updated_at_gt", "updated_at_gte" };

	static final String[] DURATION_PARAMETERS = { "duration_lt", "duration_lte", "duration_gt", "duration_gte" };

	TestTenant tenant;

	List<SessionRow> rows;

	@BeforeAll
	void seed() {
		this.tenant = this.tenants.create();
		this.rows = this.fixtures.insert(
				session(0).state(SessionState.INITIATED)
					.reason("Connection Timeout")
					.deviceName("Lobby Kiosk")
					.createdBy("alice@example.com"),
				session(1).state(SessionState.ACKNOWLEDGED)
					.videoQuality(VideoQuality.DATA_SAVER)
					.reason("timeout after 100% load_test\\x")
					.deviceName("ÉCLAIR tablet")
					.createdBy("Alice@Example.com"),
				session(86_400_000_000L).state(SessionState.ACTIVE)
					.deviceName("Warehouse 7")
					.startedAt(T0.plusSeconds(86_405)),
				session(2 * 86_400_000_000L).videoQuality(VideoQuality.DATA_SAVER)
					.reason("Ünïcode éclair ended")
					.deviceName("kiosk-2")
					.createdBy("bob@example.com")
					.duration(Duration.ZERO),
				session(3 * 86_400_000_000L).reason("user_left").deviceName("Kiosk_3").duration(Duration.ofMillis(500)),
				session(4 * 86_400_000_000L).state(SessionState.FAILED)
					.videoQuality(VideoQuality.DATA_SAVER)
					.reason("Network error 50%")
					.createdBy("BOB@example.com")
					.duration(Duration.parse("PT10M30S")),
				session(5 * 86_400_000_000L).duration(Duration.ofHours(26)),
				session(6 * 86_400_000_000L).state(SessionState.FAILED).duration(Duration.parse("P7DT1S")),
				session(7 * 86_400_000_000L).state(SessionState.FAILED).reason("never started"),
				session(8 * 86_400_000_000L).duration(Duration.ofNanos(1000)),
				session(9 * 86_400_000_000L).videoQuality(VideoQuality.DATA_SAVER)
					.duration(Duration.ofNanos(499_999_000)),
				session(10 * 86_400_000_000L).duration(Duration.ofNanos(500_001_000)),
				// clocks disagree: ended before it started, so no duration
				session(11 * 86_400_000_000L).state(SessionState.TERMINATED)
					.startedAt(T0.plusSeconds(11 * 86_400 + 10))
					.endedAt(T0.plusSeconds(11 * 86_400 + 5)));
		assertThat(this.rows).hasSizeLessThan(20);
	}

	/** A session created {@code micros} after T0 and updated an hour after that. */
	SessionFixtures.Builder session(long micros) {
		Instant created = T0.plusNanos(micros * 1000);
		return this.fixtures.session(this.tenant).createdAt(created).updatedAt(created.plusSeconds(3600));
	}

	Set<UUID> matching(Predicate<SessionRow> predicate) {
		return this.rows.stream().filter(predicate).map(SessionRow::sessionId).collect(Collectors.toSet());
	}

	void assertMatches(String query, Predicate<SessionRow> predicate) {
		JsonNode page = this.api.page(this.tenant, "limit=500&" + query);
		Set<UUID> expected = matching(predicate);
		assertThat(new HashSet<>(FeedApi.ids(page))).as(query).isEqualTo(expected);
		assertThat(page.get("count").asLong()).as(query).isEqualTo(expected.size());
	}

	static boolean contains(String value, String part) {
		return value != null && ExpectedOrder.fold(value).contains(ExpectedOrder.fold(part));
	}

	static Predicate<SessionRow> duration(Predicate<Long> micros) {
		return (row) -> SessionFixtures.durationMicros(row) != null && micros.test(SessionFixtures.durationMicros(row));
	}

	// states and video_qualities

	@Test
	void statesFilterIsCaseInsensitiveTrimmedAndRepeatedMeansUnion() {
		assertMatches("states=ACTIVE", (r) -> r.state() == SessionState.ACTIVE);
		assertMatches("states=active,Terminated",
				(r) -> r.state() == SessionState.ACTIVE || r.state() == SessionState.TERMINATED);
		assertMatches("states=%20failed%20,%09initiated%20",
				(r) -> r.state() == SessionState.FAILED || r.state() == SessionState.INITIATED);
		assertMatches("states=ACTIVE&states=failed&states=Acknowledged", (r) -> r.state() == SessionState.ACTIVE
				|| r.state() == SessionState.FAILED || r.state() == SessionState.ACKNOWLEDGED);
		assertMatches("states=,terminated,", (r) -> r.state() == SessionState.TERMINATED);
		assertMatches("states=", (r) -> true);
		assertMatches("states=INITIATED,ACKNOWLEDGED,ACTIVE,TERMINATED,FAILED", (r) -> true);
	}

	@Test
	void videoQualitiesFilterIsCaseInsensitiveTrimmedAndRepeatedMeansUnion() {
		assertMatches("video_qualities=data_saver", (r) -> r.videoQuality() == VideoQuality.DATA_SAVER);
		assertMatches("video_qualities=%20Standard", (r) -> r.videoQuality() == VideoQuality.STANDARD);
		assertMatches("video_qualities=STANDARD&video_qualities=DATA_SAVER", (r) -> true);
		assertMatches("video_qualities=standard,DATA_saver", (r) -> true);
		assertMatches("video_qualities=", (r) -> true);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "RUNNING", "ACTIVE,bogus", "active;failed", "ACTIVE%00", "0", "ACTIVE&states=nope", "%C3%A9" })
	void unknownStateIs400NamingTheAllowedValues(String value) {
		JsonNode body = FeedApi.assertBadRequest(this.api.get(this.tenant, "states=" + value), "states");
		assertThat(body.get("message").asString()).contains("INITIATED", "ACKNOWLEDGED", "ACTIVE", "TERMINATED",
				"FAILED");
	}

	@ParameterizedTest
	@ValueSource(strings = { "HD", "STANDARD,4K", "data-saver", "DATASAVER" })
	void unknownVideoQualityIs400NamingTheAllowedValues(String value) {
		JsonNode body = FeedApi.assertBadRequest(this.api.get(this.tenant, "video_qualities=" + value),
				"video_qualities");
		assertThat(body.get("message").asString()).contains("STANDARD", "DATA_SAVER");
	}

	// reason, device_name, created_by

	@ParameterizedTest
	@ValueSource(strings = { "TIMEOUT", "timeout", "Connection", "éclair", "ÉCLAIR", "%", "_", "\\", "50%", "user_",
			"100% load", " ", "nothing like this", "ünï" })
	void reasonIsACaseInsensitiveSubstringWithLiteralWildcards(String part) {
		assertMatches("reason=" + enc(part), (r) -> contains(r.reason(), part));
	}

	@ParameterizedTest
	@ValueSource(strings = { "kiosk", "KIOSK", "_", "k_3", "éclair", "Éclair tablet", "-", "%", "Warehouse 7", "x" })
	void deviceNameIsACaseInsensitiveSubstringWithLiteralWildcards(String part) {
		assertMatches("device_name=" + enc(part), (r) -> contains(r.deviceName(), part));
	}

	@Test
	void createdByIsExactAndCaseInsensitive() {
		assertMatches("created_by=" + enc("ALICE@EXAMPLE.COM"),
				(r) -> "alice@example.com".equalsIgnoreCase(r.createdBy()));
		assertMatches("created_by=" + enc("bob@example.com"), (r) -> "bob@example.com".equalsIgnoreCase(r.createdBy()));
		assertThat(matching((r) -> "alice@example.com".equalsIgnoreCase(r.createdBy()))).hasSize(2);
		assertMatches("created_by=alice", (r) -> false);
		assertMatches("created_by=" + enc("%"), (r) -> false);
		assertMatches("created_by=" + enc("alice@example.co_"), (r) -> false);
	}

	// durations

	@ParameterizedTest
	@ValueSource(strings = { "PT10M30S", "PT0.5S", "PT0S", "P1D", "P1W", "PT26H", "P1DT2H", "PT0.000001S",
			"PT0.5000001S", "PT0.4999999S", "PT0.499999S", "PT630S", "P7DT1S", "PT0.000000001S", "P0D" })
	void durationBoundsAreExactAtEveryOperator(String value) {
		long nanos = Duration.parse(value.startsWith("P1W") ? "P7D" : value).toNanos();
		assertMatches("duration_lt=" + value, duration((us) -> us * 1000 < nanos));
		assertMatches("duration_lte=" + value, duration((us) -> us * 1000 <= nanos));
		assertMatches("duration_gt=" + value, duration((us) -> us * 1000 > nanos));
		assertMatches("duration_gte=" + value, duration((us) -> us * 1000 >= nanos));
	}

	@Test
	void durationsCombineAndOnlySessionsWithADurationMatch() {
		assertMatches("duration_gt=PT0S&duration_lt=P1D", duration((us) -> us > 0 && us < 86_400_000_000L));
		assertMatches("duration_gte=PT0.5S&duration_lte=PT10M30S",
				duration((us) -> us >= 500_000 && us <= 630_000_000L));
		assertMatches("duration_gte=PT0S", duration((us) -> true));
		assertThat(matching(duration((us) -> true))).hasSizeLessThan(this.rows.size() - 3);
	}

	@Test
	void theLongestDurationStillMatches() {
		assertMatches("duration_lt=PT9223372036.854775807S", duration((us) -> true));
		assertMatches("duration_lte=PT9223372036.854775807S", duration((us) -> true));
		assertMatches("duration_gt=PT9223372036.854775807S", (r) -> false);
	}

	@ParameterizedTest
	@ValueSource(strings = { "P1Y", "P1M", "P2Y3M", "P1Y2DT3H", "PT", "P", "pt", "p1dt", "10m", "-PT1S", "PT-1S",
			"PT1.5M", "P1.5D", "PT0.1234567891S", "PT10M30", "1%20day", "PT10M30S%20trailing", "PT1H1H", "NaN",
			"P1D%00", "%E2%80%8BPT1S" })
	void badDurationsAre400NamingTheParameter(String value) {
		for (String parameter : DURATION_PARAMETERS) {
			FeedApi.assertBadRequest(this.api.get(this.tenant, parameter + "=" + value), parameter);
		}
	}

	@Test
	void yearsAndMonthsAreRefusedWithAReason() {
		JsonNode body = FeedApi.assertBadRequest(this.api.get(this.tenant, "duration_gt=P1M"), "duration_gt");
		assertThat(body.get("message").asString()).containsIgnoringCase("month");
	}

	// created_at and updated_at

	@Test
	void createdAtBoundsAreExactToTheMicrosecond() {
		assertMatches("created_at_gte=2024-01-10T00:00:00Z", (r) -> !r.createdAt().isBefore(T0));
		assertMatches("created_at_gt=2024-01-10T00:00:00Z", (r) -> r.createdAt().isAfter(T0));
		assertMatches("created_at_lt=2024-01-10T00:00:00.000001Z", (r) -> r.createdAt().equals(T0));
		assertMatches("created_at_lte=2024-01-10T00:00:00.000001Z", (r) -> !r.createdAt().isAfter(T0.plusNanos(1000)));
		// nine fractional digits, between stored microseconds
		assertMatches("created_at_lte=2024-01-10T00:00:00.000000999Z", (r) -> r.createdAt().equals(T0));
		assertMatches("created_at_lt=2024-01-10T00:00:00.000000001Z", (r) -> r.createdAt().equals(T0));
		assertMatches("created_at_gt=2024-01-09T23:59:59.999999999Z", (r) -> !r.createdAt().isBefore(T0));
		assertMatches("created_at_gte=2024-01-10T00:00:00.000000001Z", (r) -> r.createdAt().isAfter(T0));
		assertMatches("created_at_gt=2024-01-10T00:00:00.000000999Z", (r) -> r.createdAt().isAfter(T0));
	}

	@Test
	void createdAtTakesOffsetsDatesAndLowerCaseSeparators() {
		Predicate<SessionRow> onlyFirst = (r) -> r.createdAt().equals(T0);
		assertMatches("created_at_lt=2024-01-10T01:00:00.000001%2B01:00", onlyFirst);
		assertMatches("created_at_lte=2024-01-09T19:00:00-05:00", onlyFirst);
		assertMatches("created_at_lte=2024-01-10t00:00:00z", onlyFirst);
		assertMatches("created_at_lte=2024-01-10", onlyFirst);
		assertMatches("created_at_gte=2024-01-12&created_at_lt=2024-01-14",
				(r) -> !r.createdAt().isBefore(Instant.parse("2024-01-12T00:00:00Z"))
						&& r.createdAt().isBefore(Instant.parse("2024-01-14T00:00:00Z")));
		assertMatches("created_at_gt=2025-01-01", (r) -> false);
		assertMatches("created_at_lt=2024-01-10", (r) -> false);
		// an unencoded '+' arrives as a space where the offset's sign belongs
		assertMatches("created_at_lt=2024-01-10T01:00:00.000001+01:00", onlyFirst);
	}

	@Test
	void updatedAtBoundsWorkLikeCreatedAt() {
		Instant u0 = T0.plusSeconds(3600);
		assertMatches("updated_at_lte=2024-01-10T01:00:00Z", (r) -> r.updatedAt().equals(u0));
		assertMatches("updated_at_lt=2024-01-10T01:00:00Z", (r) -> false);
		assertMatches("updated_at_gt=2024-01-10T01:00:00Z", (r) -> r.updatedAt().isAfter(u0));
		assertMatches("updated_at_gte=2024-01-10T01:00:00.000001Z", (r) -> r.updatedAt().isAfter(u0));
		assertMatches("updated_at_gte=2024-01-11&updated_at_lte=2024-01-13T03:00:00%2B02:00",
				(r) -> !r.updatedAt().isBefore(Instant.parse("2024-01-11T00:00:00Z"))
						&& !r.updatedAt().isAfter(Instant.parse("2024-01-13T01:00:00Z")));
		assertMatches("updated_at_lt=2024-01-12&created_at_gt=2024-01-10T00:00:00Z",
				(r) -> r.updatedAt().isBefore(Instant.parse("2024-01-12T00:00:00Z")) && r.createdAt().isAfter(T0));
	}

	@Test
	void extremeTimesStillCompareCorrectly() {
		assertMatches("created_at_gt=0000-01-01T00:00:00%2B18:00", (r) -> true);
		assertMatches("created_at_gte=0001-01-01", (r) -> true);
		assertMatches("created_at_lt=0000-01-01", (r) -> false);
		assertMatches("created_at_lt=9999-12-31T23:59:59.999999999-18:00", (r) -> true);
		assertMatches("updated_at_gt=9999-12-31T23:59:59.999999999-18:00", (r) -> false);
		assertMatches("updated_at_lte=1970-01-01", (r) -> false);
	}

	@ParameterizedTest
	@ValueSource(strings = { "2024-13-01", "2024-02-30", "2024-01-10T00:00:00", "2024-01-10T24:00:00Z",
			"2024-01-10T00:60:00Z", "yesterday", "1704844800", "2024-01-10T00:00:00.1234567890Z", "2024-01-10T00:00Z",
			"2024-1-10", "2024-01-10T00:00:00%2B25:00", "2024-01-10T00:00:00%2B01:60", "2024-01-10T00:00:00%2B0100",
			"2024-01-10T00:00:00ZZ", "%2B2024-01-10", "2024-01-10%00", "now()", "20240110T000000Z" })
	void badTimesAre400NamingTheParameter(String value) {
		for (String parameter : TIME_PARAMETERS) {
			FeedApi.assertBadRequest(this.api.get(this.tenant, parameter + "=" + value), parameter);
		}
	}

	// all together

	@Test
	void filtersCombineWithAnd() {
		assertMatches(
				"states=terminated,FAILED&video_qualities=DATA_SAVER&duration_gte=PT0S&created_at_gt=2024-01-10T00:00:00Z",
				(r) -> r.state().isTerminal() && r.videoQuality() == VideoQuality.DATA_SAVER
						&& SessionFixtures.durationMicros(r) != null && r.createdAt().isAfter(T0));
		assertMatches("reason=timeout&device_name=kiosk",
				(r) -> contains(r.reason(), "timeout") && contains(r.deviceName(), "kiosk"));
		assertMatches("reason=e&created_by=BOB@EXAMPLE.COM&states=FAILED", (r) -> contains(r.reason(), "e")
				&& "bob@example.com".equalsIgnoreCase(r.createdBy()) && r.state() == SessionState.FAILED);
		assertMatches("states=ACTIVE&states=INITIATED&video_qualities=STANDARD&updated_at_lt=2024-01-12",
				(r) -> (r.state() == SessionState.ACTIVE || r.state() == SessionState.INITIATED)
						&& r.videoQuality() == VideoQuality.STANDARD
						&& r.updatedAt().isBefore(Instant.parse("2024-01-12T00:00:00Z")));
	}

	@Test
	void unknownParametersAreIgnored() {
		assertMatches("foo=bar&LIMIT=1&State=ACTIVE&reason%5B%5D=x&select=*&page=2", (r) -> true);
	}

	@Test
	void emptyValuesCountAsAbsent() {
		String empties = String.join("=&", SINGLE_VALUED) + "=&states=&video_qualities=";
		JsonNode page = this.api.page(this.tenant, empties);
		assertThat(page.get("count").asLong()).isEqualTo(this.rows.size());
		assertThat(FeedApi.ids(page)).containsExactlyElementsOf(ExpectedOrder.of(this.rows, "-created_at"));
		// an empty repeat does not make a parameter "given twice"
		List<UUID> withE = ExpectedOrder.of(this.rows.stream().filter((r) -> contains(r.reason(), "e")).toList(),
				"-created_at");
		assertThat(withE).as("the kept filter excludes rows").hasSizeGreaterThan(2).hasSizeLessThan(this.rows.size());
		assertThat(ExpectedOrder.of(this.rows, "-created_at").subList(0, 2)).as("the filter shows on the first page")
			.isNotEqualTo(withE.subList(0, 2));
		// the empty repeats are the ones dropped: limit=2 and reason=e both apply
		assertThat(FeedApi.ids(this.api.page(this.tenant, "limit=2&limit=&reason=&reason=e")))
			.containsExactlyElementsOf(withE.subList(0, 2));
		assertThat(FeedApi.ids(this.api.page(this.tenant, "limit=&limit=2&reason=e&reason=")))
			.containsExactlyElementsOf(withE.subList(0, 2));
	}

	@Test
	void singleValuedParametersGivenTwiceAre400() {
		for (String parameter : SINGLE_VALUED) {
			String value = parameter.contains("duration") ? "PT1S" : parameter.contains("_at_") ? "2024-01-10" : "1";
			if (parameter.equals("ordering")) {
				value = "state";
			}
			FeedApi.assertBadRequest(this.api.get(this.tenant, parameter + "=" + value + "&" + parameter + "=" + value),
					parameter);
		}
	}

	@Test
	void everyProblemIsListed() {
		JsonNode body = FeedApi.assertError(
				this.api.get(this.tenant, "limit=-1&states=bogus&duration_lt=P1Y&created_at_gt=never&ordering=x"), 400);
		assertThat(body.get("errors")).hasSize(5);
		String all = body.get("errors").toString();
		assertThat(all).contains("limit", "states", "duration_lt", "created_at_gt", "ordering");
	}

}
