package io.rvfeed.feed;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.rvfeed.feed.FeedCount.Source;

import static org.assertj.core.api.Assertions.assertThat;

/** Which exact count a feed query gets. */
class FeedCountTest {

	private static Source source(String name, String value, String... more) {
		Map<String, String[]> parameters = new java.util.LinkedHashMap<>();
		parameters.put(name, new String[] { value });
		for (int i = 0; i < more.length; i += 2) {
			parameters.put(more[i], new String[] { more[i + 1] });
		}
		return FeedCount.source(FeedQueryParser.parse(parameters));
	}

	@Test
	void noFilterOrOnlyStateAndQualityReadTheKeptCounts() {
		assertThat(FeedCount.source(FeedQueryParser.parse(Map.of()))).isEqualTo(Source.KEPT_COUNTS);
		assertThat(source("states", "FAILED,ACTIVE", "video_qualities", "STANDARD")).isEqualTo(Source.KEPT_COUNTS);
		assertThat(source("ordering", "-duration", "offset", "40")).isEqualTo(Source.KEPT_COUNTS);
	}

	@ParameterizedTest
	@ValueSource(strings = { "reason", "device_name", "created_by", "duration_gt", "created_at_gte", "updated_at_lt" })
	void oneOtherFilterAloneReadsTheFacetCounts(String filter) {
		String value = filter.startsWith("duration") ? "PT1M"
				: filter.endsWith("_gte") || filter.endsWith("_lt") ? "2026-01-01" : "kiosk";
		assertThat(source(filter, value)).isEqualTo(Source.FACET_COUNTS);
		Source withStateOrQuality = filter.equals("device_name") || filter.equals("created_by") ? Source.ROWS
				: Source.JOINT_COUNTS;
		assertThat(source(filter, value, "states", "FAILED")).isEqualTo(withStateOrQuality);
		assertThat(source(filter, value, "video_qualities", "DATA_SAVER")).isEqualTo(withStateOrQuality);
	}

	@Test
	void bothEndsOfOneRangeAreOneFilter() {
		assertThat(source("created_at_gte", "2026-01-01", "created_at_lt", "2026-02-01"))
			.isEqualTo(Source.FACET_COUNTS);
	}

	@Test
	void combinationsOfReasonTimesAndDurationReadTheJointCounts() {
		assertThat(source("created_at_gte", "2026-01-01", "updated_at_lt", "2026-02-01"))
			.isEqualTo(Source.JOINT_COUNTS);
		assertThat(source("reason", "offline", "duration_gt", "PT10M", "states", "FAILED"))
			.isEqualTo(Source.JOINT_COUNTS);
	}

	@Test
	void combinationsWithADeviceNameOrConsoleUserCountRows() {
		assertThat(source("reason", "offline", "device_name", "kiosk")).isEqualTo(Source.ROWS);
		assertThat(source("created_by", "bob@example.com", "updated_at_lt", "2026-02-01")).isEqualTo(Source.ROWS);
	}

}
