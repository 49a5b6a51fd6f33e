package io.rvfeed.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;

class KeptCellsCacheTest {

	private static final UUID TENANT = UUID.fromString("6a0e9c9e-3c51-4a43-9f3c-6f1d52b1c001");

	@Test
	void readsOncePerVersionAndAgainUnderANewOne() {
		KeptCellsCache cache = new KeptCellsCache(1_000, new SimpleMeterRegistry());
		AtomicInteger reads = new AtomicInteger();
		for (int i = 0; i < 3; i++) {
			cache.get(key(7, 0), () -> cells(reads, 10));
		}
		assertThat(reads).hasValue(1);
		cache.get(key(8, 0), () -> cells(reads, 10));
		assertThat(reads).hasValue(2);
	}

	@Test
	void keepsNoMoreCellsAndPeriodsThanItsBound() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		KeptCellsCache cache = new KeptCellsCache(100, meters);
		AtomicInteger reads = new AtomicInteger();
		for (int version = 1; version <= 20; version++) {
			// 30 cells, 2 periods and 1 for the entry: 33 each
			cache.get(key(version, 2), () -> cells(reads, 30));
		}
		assertThat(cache.keptWeight()).isBetween(33L, 100L);
		// entries without cells are bounded too, by their periods
		for (int version = 21; version <= 1_000; version++) {
			cache.get(key(version, 5), HashMap::new);
		}
		assertThat(cache.keptWeight()).isBetween(6L, 100L);
		assertThat(meters.get("cache.size").tag("cache", "rvfeed.stats.kept-cells").gauge().value())
			.as("entries of 5 periods kept under a bound of 100")
			.isBetween(1.0, 16.0);
	}

	@Test
	void keepsNothingWhenItsBoundIsZero() {
		KeptCellsCache cache = new KeptCellsCache(0, new SimpleMeterRegistry());
		AtomicInteger reads = new AtomicInteger();
		cache.get(key(1, 0), () -> cells(reads, 1));
		cache.get(key(1, 0), () -> cells(reads, 1));
		assertThat(reads).hasValue(2);
	}

	private static KeptCellsCache.Key key(long version, int periods) {
		List<Instant> hours = new ArrayList<>();
		for (int i = 0; i < periods; i++) {
			hours.add(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * i));
		}
		return new KeptCellsCache.Key(TENANT, version, Set.of(SessionState.FAILED), Set.of(), Map.of('h', hours));
	}

	private static Map<StatsCells.CellKey, List<StatsCells.Cell>> cells(AtomicInteger reads, int count) {
		reads.incrementAndGet();
		List<StatsCells.Cell> cells = new ArrayList<>();
		StatsCells.CellKey key = new StatsCells.CellKey('h', Instant.parse("2026-01-01T00:00:00Z"));
		for (int i = 0; i < count; i++) {
			cells
				.add(new StatsCells.Cell(key, SessionState.FAILED, VideoQuality.STANDARD, 1, 1, 1, 1L, null, null, -1));
		}
		return Map.of(key, cells);
	}

}
