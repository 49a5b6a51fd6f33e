package io.rvfeed.webhook;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import org.springframework.stereotype.Component;

/**
 * {@code rvfeed.webhook.messages{result}} (delivered, failed: the schedule ran out or the
 * endpoint answered 410), {@code rvfeed.webhook.attempts{result}}, and per endpoint
 * {@code rvfeed.webhook.pending} and {@code rvfeed.webhook.oldest.pending.age} (seconds),
 * refreshed by the delivery worker.
 */
@Component
class WebhookMetrics {

	private final MeterRegistry meters;

	private final MultiGauge pending;

	private final MultiGauge oldest;

	static final List<String> MESSAGE_RESULTS = List.of("delivered", "failed");

	static final List<String> ATTEMPT_RESULTS = List.of("success", "http_error", "gone", "timeout", "connection_error",
			"refused_target", "event_gone");

	private static final Tags ALL = Tags.of("tenant", "all", "endpoint", "all");

	WebhookMetrics(MeterRegistry meters) {
		this.meters = meters;
		this.pending = MultiGauge.builder("rvfeed.webhook.pending")
			.description("Webhook messages not yet delivered nor failed, per endpoint")
			.register(meters);
		this.oldest = MultiGauge.builder("rvfeed.webhook.oldest.pending.age")
			.description("Age of the oldest webhook message not yet delivered nor failed, per endpoint")
			.baseUnit("seconds")
			.register(meters);
		// every result at 0 from the start, and the sum row before the first refresh
		MESSAGE_RESULTS.forEach(this::messages);
		ATTEMPT_RESULTS.forEach(this::attempts);
		backlog(List.of());
	}

	private Counter messages(String result) {
		return Counter.builder("rvfeed.webhook.messages")
			.description("Webhook messages that reached an end, by result")
			.tag("result", result)
			.register(this.meters);
	}

	private Counter attempts(String result) {
		return Counter.builder("rvfeed.webhook.attempts")
			.description("Webhook delivery attempts, by result")
			.tag("result", result)
			.register(this.meters);
	}

	void attempt(String result) {
		attempts(result).increment();
	}

	void message(String result) {
		messages(result).increment();
	}

	/** Per endpoint, and a row for all of them (tenant and endpoint {@code all}). */
	void backlog(List<MessageRepository.Backlog> backlog) {
		List<MultiGauge.Row<?>> pendingRows = new ArrayList<>();
		List<MultiGauge.Row<?>> oldestRows = new ArrayList<>();
		for (MessageRepository.Backlog b : backlog) {
			pendingRows.add(MultiGauge.Row.of(tags(b), b.pending()));
			oldestRows.add(MultiGauge.Row.of(tags(b), b.oldestSeconds()));
		}
		pendingRows.add(MultiGauge.Row.of(ALL, backlog.stream().mapToLong(MessageRepository.Backlog::pending).sum()));
		oldestRows.add(MultiGauge.Row.of(ALL,
				backlog.stream().mapToDouble(MessageRepository.Backlog::oldestSeconds).max().orElse(0)));
		this.pending.register(pendingRows, true);
		this.oldest.register(oldestRows, true);
	}

	private static Tags tags(MessageRepository.Backlog b) {
		return Tags.of("tenant", b.tenantId().toString(), "endpoint", b.endpointId().toString());
	}

}
