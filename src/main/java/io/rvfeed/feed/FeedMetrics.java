package io.rvfeed.feed;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The read side's metrics: open live streams ({@code rvfeed.streams.open}), exports and
 * the rows they streamed ({@code rvfeed.exports}, {@code rvfeed.export.rows}, by format),
 * and how long ago this instance last compacted the kept counts
 * ({@code rvfeed.feed_counts.compaction.lag}, seconds; it grows when compaction fails).
 */
@Component
class FeedMetrics {

	private final Map<FeedExportController.Format, Counter> exports = new EnumMap<>(FeedExportController.Format.class);

	private final Map<FeedExportController.Format, Counter> exportedRows = new EnumMap<>(
			FeedExportController.Format.class);

	FeedMetrics(MeterRegistry meters, FeedStreams streams, FeedCountCompactor compactor) {
		Gauge.builder("rvfeed.streams.open", streams, FeedStreams::openStreams)
			.description("Live streams open on this instance")
			.register(meters);
		Gauge
			.builder("rvfeed.feed_counts.compaction.lag", compactor,
					(c) -> c.sinceLastCompaction().toNanos() / (double) TimeUnit.SECONDS.toNanos(1))
			.description("Seconds since this instance last completed a compaction of the kept counts")
			.baseUnit("seconds")
			.register(meters);
		for (FeedExportController.Format format : FeedExportController.Format.values()) {
			String tag = format.name().toLowerCase(Locale.ROOT);
			this.exports.put(format,
					Counter.builder("rvfeed.exports")
						.description("Exports started")
						.tag("format", tag)
						.register(meters));
			this.exportedRows.put(format,
					Counter.builder("rvfeed.export.rows")
						.description("Rows streamed by exports")
						.tag("format", tag)
						.register(meters));
		}
	}

	void exportStarted(FeedExportController.Format format) {
		this.exports.get(format).increment();
	}

	void rowExported(FeedExportController.Format format) {
		this.exportedRows.get(format).increment();
	}

}
