package io.rvfeed.webhook;

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

	WebhookMetrics(MeterRegistry meters) {
		this.meters = meters;
		this.pending = MultiGauge.builder("rvfeed.webhook.pending")
			.description("Webhook messages not yet delivered nor failed, per endpoint")
			.register(meters);
		this.oldest = MultiGauge.builder("rvfeed.webhook.oldest.pending.age")
			.description("Age of the oldest webhook message not yet delivered nor failed, per endpoint")
			.baseUnit("seconds")
			.register(meters);
	}

	void attempt(String result) {
		Counter.builder("rvfeed.webhook.attempts")
			.description("Webhook delivery attempts, by result")
			.tag("result", result)
			.register(this.meters)
			.increment();
	}

	void message(String result) {
		Counter.builder("rvfeed.webhook.messages")
			.description("Webhook messages that reached an end, by result")
			.tag("result", result)
			.register(this.meters)
			.increment();
	}

	void backlog(List<MessageRepository.Backlog> backlog) {
		this.pending.register(backlog.stream().map((b) -> MultiGauge.Row.of(tags(b), b.pending())).toList(), true);
		this.oldest.register(backlog.stream().map((b) -> MultiGauge.Row.of(tags(b), b.oldestSeconds())).toList(), true);
	}

	private static Tags tags(MessageRepository.Backlog b) {
		return Tags.of("tenant", b.tenantId().toString(), "endpoint", b.endpointId().toString());
	}

}
