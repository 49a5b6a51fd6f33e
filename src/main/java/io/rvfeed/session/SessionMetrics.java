package io.rvfeed.session;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The write API's metrics: sessions created ({@code rvfeed.session.creations}), events by
 * result and by how they came ({@code rvfeed.events}: result applied, duplicate,
 * conflict, refused or error; via single or batch) and batch sizes
 * ({@code rvfeed.batch.size}).
 */
@Component
class SessionMetrics {

	enum Via {

		SINGLE, BATCH

	}

	private final Counter sessionsCreated;

	private final Map<Via, Map<SessionService.Result, Counter>> events = new EnumMap<>(Via.class);

	private final DistributionSummary batchSize;

	SessionMetrics(MeterRegistry meters) {
		this.sessionsCreated = Counter.builder("rvfeed.session.creations")
			.description("Sessions created (a repeated create of the same session is not counted)")
			.register(meters);
		for (Via via : Via.values()) {
			Map<SessionService.Result, Counter> byResult = new EnumMap<>(SessionService.Result.class);
			for (SessionService.Result result : SessionService.Result.values()) {
				byResult.put(result,
						Counter.builder("rvfeed.events")
							.description("Lifecycle events offered to the write API, by result")
							.tag("result", tag(result))
							.tag("via", via.name().toLowerCase(Locale.ROOT))
							.register(meters));
			}
			this.events.put(via, byResult);
		}
		this.batchSize = DistributionSummary.builder("rvfeed.batch.size")
			.description("Items per batch of events")
			.baseUnit("events")
			.serviceLevelObjectives(1, 10, 100, 250, 500, 1000)
			.register(meters);
	}

	void sessionCreated() {
		this.sessionsCreated.increment();
	}

	void event(Via via, SessionService.Result result, int count) {
		if (count > 0) {
			this.events.get(via).get(result).increment(count);
		}
	}

	void batch(int items) {
		this.batchSize.record(items);
	}

	private static String tag(SessionService.Result result) {
		return switch (result) {
			case APPLIED -> "applied";
			case DUPLICATE -> "duplicate";
			case CONFLICT -> "conflict";
			case INVALID, NOT_FOUND -> "refused";
			case ERROR -> "error";
		};
	}

}
