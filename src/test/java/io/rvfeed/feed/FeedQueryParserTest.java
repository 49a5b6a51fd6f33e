package io.rvfeed.feed;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;
import io.rvfeed.web.InvalidRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The feed's query parameters, read by the contract's rules, without a server. */
class FeedQueryParserTest {

	/** Parameters as a servlet gives them: {@code name, value, name, value, ...}. */
	private static Map<String, String[]> parameters(String... pairs) {
		Map<String, List<String>> grouped = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			grouped.computeIfAbsent(pairs[i], (name) -> new java.util.ArrayList<>()).add(pairs[i + 1]);
		}
		Map<String, String[]> parameters = new LinkedHashMap<>();
		grouped.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
		return parameters;
	}

	private static FeedQuery parse(String... pairs) {
		return FeedQueryParser.parse(parameters(pairs));
	}

	private static List<String> problems(String... pairs) {
		InvalidRequest refused = catchThrowableOfType(InvalidRequest.class, () -> parse(pairs));
		assertThat(refused).as("a 400 for %s", List.of(pairs)).isNotNull();
		return refused.toError().errors();
	}

	@Test
	void noParametersIsTheDefaultPage() {
		FeedQuery query = parse();
		assertThat(query.limit()).isEqualTo(20);
		assertThat(query.offset()).isZero();
		assertThat(query.states()).isEmpty();
		assertThat(query.reason()).isNull();
		assertThat(query.ordering()).containsExactly(OrderTerm.DEFAULT);
		assertThat(query.durationMicros().isEmpty()).isTrue();
	}

	@ParameterizedTest
	@CsvSource({ "0, 20", "1, 1", "500, 500", "501, 500", "+7, 7", "007, 7", "' 5 ', 5",
			"99999999999999999999999, 500" })
	void limitIsCappedAndZeroMeansTheDefault(String given, int limit) {
		assertThat(parse("limit", given).limit()).isEqualTo(limit);
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "1.5", "ten", "1e3", "0x10", "٣" })
	void aLimitThatIsNoNonNegativeIntegerIsRefused(String given) {
		assertThat(problems("limit", given)).containsExactly("Parameter 'limit' must be a non-negative integer.");
	}

	@Test
	void anOffsetTooLargeIsRefusedButNotCapped() {
		assertThat(parse("offset", "100000").offset()).isEqualTo(100_000);
		assertThat(problems("offset", "9999999999999999999")).containsExactly("Parameter 'offset' is too large.");
	}

	@Test
	void anEmptyValueCountsAsAbsent() {
		FeedQuery query = parse("limit", "", "states", "", "reason", "", "ordering", "");
		assertThat(query.limit()).isEqualTo(20);
		assertThat(query.states()).isEmpty();
		assertThat(query.reason()).isNull();
		assertThat(query.ordering()).containsExactly(OrderTerm.DEFAULT);
	}

	@Test
	void listsAreCaseInsensitiveAndRepeatingTheParameterAddsValues() {
		FeedQuery query = parse("states", "failed, Active", "states", "ACTIVE", "video_qualities", "data_saver");
		assertThat(query.states()).containsExactlyInAnyOrder(SessionState.FAILED, SessionState.ACTIVE);
		assertThat(query.videoQualities()).containsExactly(VideoQuality.DATA_SAVER);
	}

	@Test
	void anUnknownListValueNamesTheAllowedOnes() {
		assertThat(problems("states", "FAILED,LOST")).containsExactly(
				"Parameter 'states' has an unknown value 'LOST'. Allowed values: INITIATED, ACKNOWLEDGED, ACTIVE, "
						+ "TERMINATED, FAILED.");
		assertThat(problems("video_qualities", "HD")).singleElement()
			.asString()
			.endsWith("Allowed values: STANDARD, DATA_SAVER.");
	}

	@Test
	void aListOfMoreThanFiftyValuesIsRefused() {
		assertThat(problems("states", "ACTIVE,".repeat(51)))
			.containsExactly("Parameter 'states' has more than 50 values.");
	}

	@Test
	void aSingleValuedParameterGivenTwiceIsRefused() {
		assertThat(problems("reason", "a", "reason", "b"))
			.containsExactly("Parameter 'reason' may be given only once.");
	}

	@Test
	void everyProblemIsListed() {
		assertThat(problems("limit", "-1", "offset", "x", "states", "NOPE", "duration_gt", "PT", "ordering", "size"))
			.hasSize(5);
	}

	@Test
	void textFiltersAreCaseFoldedAndBounded() {
		assertThat(parse("reason", "Device OFFLINE", "created_by", "Bob@Example.COM").reason())
			.isEqualTo("device offline");
		assertThat(parse("created_by", "Bob@Example.COM").createdBy()).isEqualTo("bob@example.com");
		assertThat(parse("reason", "x".repeat(1000)).reason()).hasSize(1000);
		assertThat(problems("reason", "x".repeat(1001)))
			.containsExactly("Parameter 'reason' must be at most 1000 characters.");
		assertThat(problems("device_name", "x".repeat(256)))
			.containsExactly("Parameter 'device_name' must be at most 255 characters.");
		assertThat(problems("created_by", "a\0b"))
			.containsExactly("Parameter 'created_by' must not contain NUL characters.");
	}

	@Test
	void durationBoundsRoundToWholeMicrosecondsSoComparisonsStayExact() {
		FeedQuery query = parse("duration_lt", "PT0.0000005S", "duration_lte", "PT0.0000015S", "duration_gt",
				"PT0.0000015S", "duration_gte", "PT0.0000005S");
		assertThat(query.durationMicros()).isEqualTo(new Bounds<>(1L, 1L, 1L, 1L));
		assertThat(parse("duration_gt", "PT10M30S").durationMicros().gt()).isEqualTo(630_000_000L);
		assertThat(parse("duration_lte", "P1W").durationMicros().lte()).isEqualTo(7 * 86_400_000_000L);
	}

	@Test
	void aBadDurationSaysWhatIsWrong() {
		assertThat(problems("duration_gt", "P1M")).singleElement().asString().contains("years or months");
		assertThat(problems("duration_lt", "10 minutes")).singleElement()
			.asString()
			.startsWith("Parameter 'duration_lt' must be an ISO 8601 duration");
	}

	@Test
	void timeBoundsRoundToWholeMicrosecondsSoComparisonsStayExact() {
		FeedQuery query = parse("created_at_lt", "2024-01-01T10:00:00.0000005Z", "created_at_gte",
				"2024-01-01T10:00:00.0000005Z", "updated_at_lte", "2024-01-01T10:00:00.0000005Z", "updated_at_gt",
				"2024-01-01");
		Instant at = Instant.parse("2024-01-01T10:00:00Z");
		assertThat(query.createdAt().lt()).isEqualTo(at.plusNanos(1000));
		assertThat(query.createdAt().gte()).isEqualTo(at.plusNanos(1000));
		assertThat(query.updatedAt().lte()).isEqualTo(at);
		assertThat(query.updatedAt().gt()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
	}

	@Test
	void aSpaceWhereAnOffsetsPlusBelongsIsAPlus() {
		assertThat(parse("created_at_gte", "2024-01-01T12:00:00 02:00").createdAt().gte())
			.isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
	}

	@Test
	void aBadTimeSaysWhatIsWrong() {
		assertThat(problems("created_at_gt", "yesterday")).singleElement()
			.asString()
			.startsWith("Parameter 'created_at_gt' must be an RFC 3339 timestamp");
		assertThat(problems("updated_at_lt", "2024-02-30")).singleElement().asString().contains("out of range");
	}

	@Test
	void orderingTakesKeysWithDirections() {
		assertThat(parse("ordering", "-duration, state ,- created_by").ordering()).containsExactly(
				new OrderTerm(SortKey.DURATION, true), new OrderTerm(SortKey.STATE, false),
				new OrderTerm(SortKey.CREATED_BY, true));
		assertThat(parse("ordering", ",,").ordering()).containsExactly(OrderTerm.DEFAULT);
	}

	@Test
	void aBadOrderingNamesTheKeys() {
		assertThat(problems("ordering", "size")).containsExactly("Parameter 'ordering' has an unknown key 'size'. "
				+ "Allowed keys: created_at, updated_at, device_name, duration, state, reason, video_quality, "
				+ "created_by, each optionally prefixed with '-' for descending order.");
		assertThat(problems("ordering", "state,-state"))
			.containsExactly("Parameter 'ordering' names 'state' more than once.");
		assertThat(problems("ordering", "state,".repeat(9))).singleElement()
			.asString()
			.startsWith("Parameter 'ordering' has more keys than there are sort keys");
	}

	@Test
	void aHostileValueIsShortenedAndDefusedInTheMessage() {
		assertThat(problems("states", "\u0007" + "x".repeat(100))).singleElement()
			.asString()
			.contains("'?" + "x".repeat(39) + "...'");
	}

	@Test
	void unknownParametersAreIgnored() {
		assertThat(parse("format", "csv", "utm_source", "mail").limit()).isEqualTo(20);
	}

}
