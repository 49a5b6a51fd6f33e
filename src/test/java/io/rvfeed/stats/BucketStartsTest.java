package io.rvfeed.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class BucketStartsTest {

	private static final Instant HOUR = Instant.parse("2026-03-29T00:00:00Z");

	private final BucketStarts starts = new BucketStarts();

	private final AtomicInteger computed = new AtomicInteger();

	@Test
	void theSameHoursAreComputedOnce() {
		BucketStarts.Key key = key("day", 0);
		List<BucketStarts.Start> first = this.starts.get(key, () -> starts(3));
		List<BucketStarts.Start> again = this.starts.get(key, () -> starts(3));
		assertThat(again).isEqualTo(first).hasSize(3);
		assertThat(this.computed).hasValue(1);
		this.starts.get(key("day", 1), () -> starts(3));
		this.starts.get(new BucketStarts.Key("day", ZoneId.of("UTC"), HOUR, HOUR), () -> starts(3));
		assertThat(this.computed).hasValue(3);
	}

	@Test
	void theLeastRecentlyUsedGoFirstOnceTheStartsKeptPassTheBound() {
		int half = BucketStarts.MAX_STARTS / 2;
		this.starts.get(key("hour", 0), () -> starts(half));
		this.starts.get(key("hour", 1), () -> starts(half));
		this.starts.get(key("hour", 0), () -> starts(half));
		this.starts.get(key("hour", 2), () -> starts(half));
		assertThat(this.starts.size()).isEqualTo(2 * half);
		assertThat(this.computed).hasValue(3);
		this.starts.get(key("hour", 0), () -> starts(half));
		assertThat(this.computed).as("kept: used last before the third").hasValue(3);
		this.starts.get(key("hour", 1), () -> starts(half));
		assertThat(this.computed).as("dropped for the third").hasValue(4);
	}

	@Test
	void startsAboveTheBoundAreAnsweredAndNotKept() {
		this.starts.get(key("hour", 0), () -> starts(BucketStarts.MAX_STARTS + 1));
		assertThat(this.starts.size()).isZero();
		this.starts.get(key("hour", 0), () -> starts(1));
		assertThat(this.computed).hasValue(2);
	}

	private static BucketStarts.Key key(String unit, int day) {
		Instant first = HOUR.plus(day, ChronoUnit.DAYS);
		return new BucketStarts.Key(unit, ZoneId.of("Europe/Berlin"), first, first.plus(30, ChronoUnit.DAYS));
	}

	private List<BucketStarts.Start> starts(int n) {
		this.computed.incrementAndGet();
		List<BucketStarts.Start> starts = new ArrayList<>(Collections.nCopies(n, null));
		for (int i = 0; i < n; i++) {
			Instant hour = HOUR.plus(i, ChronoUnit.HOURS);
			starts.set(i, new BucketStarts.Start(hour, hour, true));
		}
		return starts;
	}

}
