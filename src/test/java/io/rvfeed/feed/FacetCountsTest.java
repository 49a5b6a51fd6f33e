package io.rvfeed.feed;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.rvfeed.feed.FacetCounts.Range;
import io.rvfeed.feed.FacetCounts.Split;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a range filter is counted from the facet buckets (V7): whole buckets from the
 * counts, the partly covered buckets at the edges row by row.
 */
class FacetCountsTest {

	private static final long DAY = FacetCounts.DAY_MICROS;

	private static final long SECOND = FacetCounts.SECOND_MICROS;

	@Test
	void aRangeOnBucketEdgesIsWholeBucketsOnly() {
		assertThat(Split.of(new Range(2 * DAY, 4 * DAY), DAY)).isEqualTo(new Split(false, 2L, 3L, null, null));
	}

	@Test
	void partlyCoveredBucketsAtBothEdgesAreCountedRowByRow() {
		// [1 day + 1 µs, 3 days + 1 µs): day 1 partly, day 2 whole, day 3 for 1 µs
		assertThat(Split.of(new Range(DAY + 1, 3 * DAY + 1), DAY))
			.isEqualTo(new Split(false, 2L, 2L, 2 * DAY, 3 * DAY));
	}

	@Test
	void anOpenEndTakesEveryBucketOnThatSide() {
		assertThat(Split.of(new Range(DAY + 5, null), DAY)).isEqualTo(new Split(false, 2L, null, 2 * DAY, null));
		assertThat(Split.of(new Range(null, 3 * DAY - 1), DAY)).isEqualTo(new Split(false, null, 1L, null, 2 * DAY));
		assertThat(Split.of(new Range(null, null), SECOND)).isEqualTo(new Split(false, null, null, null, null));
	}

	@Test
	void aRangeWithoutAWholeBucketCountsItsRows() {
		Split rowsOnly = new Split(true, null, null, null, null);
		assertThat(Split.of(new Range(DAY + 1, DAY + 5), DAY)).isEqualTo(rowsOnly);
		// the end of one bucket and the start of the next
		assertThat(Split.of(new Range(2 * DAY - 1, 2 * DAY + 1), DAY)).isEqualTo(rowsOnly);
		assertThat(Split.of(new Range(5L, 5L), SECOND)).isEqualTo(rowsOnly);
	}

	@Test
	void bucketsBeforeTheEpochRoundTheSameWay() {
		assertThat(Split.of(new Range(-DAY - 1, 0L), DAY)).isEqualTo(new Split(false, -1L, -1L, -DAY, null));
	}

	@Test
	void aBoundTooLargeForTheArithmeticGivesNoSplit() {
		assertThat(Split.of(new Range(Long.MAX_VALUE - 1, null), DAY)).isNull();
	}

	@Test
	void comparisonsBecomeAHalfOpenRange() {
		assertThat(FacetCounts.micros(new Bounds<>(null, null, 5L, null))).isEqualTo(new Range(6L, null));
		assertThat(FacetCounts.micros(new Bounds<>(null, 10L, null, null))).isEqualTo(new Range(null, 11L));
		assertThat(FacetCounts.micros(new Bounds<>(20L, 10L, 5L, 3L))).isEqualTo(new Range(6L, 11L));
		assertThat(FacetCounts.micros(new Bounds<>(8L, 10L, 5L, 7L))).isEqualTo(new Range(7L, 8L));
		assertThat(FacetCounts.micros(new Bounds<>(null, null, Long.MAX_VALUE, null))).isNull();
	}

	@Test
	void timesAreMicrosecondsSinceTheEpoch() {
		Instant midnight = Instant.parse("1970-01-02T00:00:00Z");
		assertThat(FacetCounts.instantMicros(new Bounds<>(null, null, null, midnight))).isEqualTo(new Range(DAY, null));
		assertThat(FacetCounts.instantMicros(new Bounds<>(null, midnight.minusNanos(1000), null, null)))
			.isEqualTo(new Range(null, DAY));
	}

}
