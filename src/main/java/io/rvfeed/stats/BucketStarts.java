package io.rvfeed.stats;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The hours where a zone's buckets start, as PostgreSQL's {@code date_trunc} gives them,
 * kept for the hours asked again: the same for every request over the same hours in the
 * same zone and unit, and the time series' statement over thousands of hours took about
 * 13 ms of a 35 ms request. Least recently used first out, bounded by the starts kept
 * (each about 100 bytes).
 */
final class BucketStarts {

	/** Starts kept in all: about 10 MB. */
	static final int MAX_STARTS = 100_000;

	/** The hours: the unit, the zone and the first and last whole hour. */
	record Key(String unit, ZoneId zone, Instant firstHour, Instant lastHour) {
	}

	/**
	 * An hour that starts a bucket (or is not whole in one): the hour, the bucket's start
	 * in the zone and whether the hour lies in the bucket whole.
	 */
	record Start(Instant hour, Instant bucket, boolean whole) {
	}

	private final Map<Key, List<Start>> kept = new LinkedHashMap<>(16, 0.75f, true);

	private int size;

	List<Start> get(Key key, Supplier<List<Start>> compute) {
		synchronized (this) {
			List<Start> starts = this.kept.get(key);
			if (starts != null) {
				return starts;
			}
		}
		// computed outside the lock: two requests may compute the same starts at once
		List<Start> starts = List.copyOf(compute.get());
		if (starts.size() > MAX_STARTS) {
			return starts;
		}
		synchronized (this) {
			List<Start> previous = this.kept.put(key, starts);
			this.size += starts.size() - ((previous != null) ? previous.size() : 0);
			var eldest = this.kept.entrySet().iterator();
			while (this.size > MAX_STARTS) {
				this.size -= eldest.next().getValue().size();
				eldest.remove();
			}
		}
		return starts;
	}

	synchronized int size() {
		return this.size;
	}

}
