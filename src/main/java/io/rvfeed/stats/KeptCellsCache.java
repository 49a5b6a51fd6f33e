package io.rvfeed.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;

/**
 * Kept cells as read for a tenant, a filter and a set of periods, used again while the
 * tenant's cells are unchanged: the key holds the tenant's cell version (V59), which
 * every change to its cells replaces in the same transaction, as read in the request's
 * own snapshot. So a cell used again is the cell that snapshot would read, and the answer
 * stays exact; deltas not folded yet are read on every request. Least recently used first
 * out, bounded by the cells and periods kept in all.
 */
final class KeptCellsCache {

	/**
	 * What was read: the tenant, its cell version, the filter's states and qualities and
	 * the periods by grain.
	 */
	record Key(UUID tenantId, long version, Set<SessionState> states, Set<VideoQuality> qualities,
			Map<Character, List<Instant>> periods) {
	}

	private final Cache<Key, Cells> kept;

	private final boolean enabled;

	/** Keeps up to {@code maxCells} cells and periods in all; none when 0. */
	KeptCellsCache(long maxCells, MeterRegistry meters) {
		this.enabled = maxCells > 0;
		this.kept = Caffeine.newBuilder().maximumWeight(maxCells).weigher(KeptCellsCache::weight).recordStats().build();
		CaffeineCacheMetrics.monitor(meters, this.kept, "rvfeed.stats.kept-cells");
	}

	/** The cells and the key's periods: an entry without cells still holds those. */
	private static int weight(Key key, Cells cells) {
		return 1 + key.periods().values().stream().mapToInt(List::size).sum()
				+ cells.byKey().values().stream().mapToInt(List::size).sum();
	}

	private record Cells(Map<StatsCells.CellKey, List<StatsCells.Cell>> byKey) {
	}

	/** The cells kept for the key, or read (outside any lock) and kept. */
	Map<StatsCells.CellKey, List<StatsCells.Cell>> get(Key key,
			Supplier<Map<StatsCells.CellKey, List<StatsCells.Cell>>> read) {
		if (!this.enabled) {
			return read.get();
		}
		Cells cells = this.kept.getIfPresent(key);
		if (cells == null) {
			cells = new Cells(Map.copyOf(read.get()));
			this.kept.put(key, cells);
		}
		return cells.byKey();
	}

	/** Cells and periods kept now, after any pending eviction. */
	long keptWeight() {
		this.kept.cleanUp();
		return this.kept.policy().eviction().orElseThrow().weightedSize().orElseThrow();
	}

}
