package io.rvfeed.stats;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The answer: {@code {"content": {"total": {...}, "groups": [{"key": {...}, ...}]}}}.
 * {@code group_count} is the number of groups before {@code limit} cut them.
 */
record StatsPage(Content content) {

	record Content(List<String> groupBy, String tz, Metrics total, long groupCount, List<Group> groups) {
	}

	/**
	 * The metrics of a set of sessions. {@code states} counts them by their state now
	 * (the final one for ended sessions); {@code failure_rate} is FAILED over ended
	 * (TERMINATED + FAILED) sessions, null when none ended.
	 */
	record Metrics(long count, Map<String, Long> states, @Nullable Double failureRate, DurationStats duration) {
	}

	/** One group: its key (one member per {@code group_by} key) and its metrics. */
	record Group(Map<String, @Nullable Object> key, long count, Map<String, Long> states, @Nullable Double failureRate,
			DurationStats duration) {

		Group(Map<String, @Nullable Object> key, Metrics metrics) {
			this(key, metrics.count(), metrics.states(), metrics.failureRate(), metrics.duration());
		}

	}

	/**
	 * Durations (ISO 8601) over the sessions that have one: how many, their exact sum,
	 * the exact 50th and 95th percentiles ({@code percentile_cont}, linear interpolation,
	 * rounded to the microsecond) and the longest. Without any: count 0, sum
	 * {@code PT0S}, the others null.
	 */
	record DurationStats(long count, String sum, @Nullable String p50, @Nullable String p95, @Nullable String max) {
	}

}
