package io.rvfeed.webhook;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.DoubleSupplier;

import com.sun.management.OperatingSystemMXBean;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.rvfeed.web.ApiActivity;

/**
 * Delivery gives way to the API. While the API's callers keep it busy and the machine's
 * CPUs are saturated ({@code yield-above-cpu}), this instance sends at most
 * {@code yield-rate} messages per second; otherwise as fast as its slots go. Messages
 * wait in the outbox meanwhile, which costs nothing: a burst of writes with an endpoint
 * active is not slowed by its own deliveries (on two cores they took two thirds of
 * ingest), and another tenant's writes are not slowed by one tenant's webhooks.
 * <p>
 * The decision is taken again every {@value #CHECK_MILLIS} ms from the CPU load of the
 * machine (or container) over that time, which includes a PostgreSQL on the same host.
 */
@Component
class DeliveryPace {

	private static final Logger log = LoggerFactory.getLogger(DeliveryPace.class);

	static final long CHECK_MILLIS = 250;

	private static final long CHECK_NANOS = Duration.ofMillis(CHECK_MILLIS).toNanos();

	/** The API counts as busy while its requests began within this window. */
	private static final Duration BUSY_WINDOW = Duration.ofSeconds(1);

	private final ApiActivity api;

	private final double yieldAboveCpu;

	private final Bucket yieldBucket;

	private final DoubleSupplier cpuLoad;

	private long checkedAt = System.nanoTime();

	private volatile boolean yielding;

	@Autowired
	DeliveryPace(ApiActivity api, WebhookProperties properties, MeterRegistry meters) {
		this(api, properties, meters,
				((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())::getCpuLoad);
	}

	DeliveryPace(ApiActivity api, WebhookProperties properties, MeterRegistry meters, DoubleSupplier cpuLoad) {
		this.api = api;
		this.yieldAboveCpu = properties.yieldAboveCpu();
		int rate = properties.yieldRate();
		this.yieldBucket = Bucket.builder()
			.addLimit((limit) -> limit.capacity(Math.max(1, rate / 10)).refillGreedy(rate, Duration.ofSeconds(1)))
			.build();
		this.cpuLoad = cpuLoad;
		Gauge.builder("rvfeed.webhook.delivery.yielding", () -> this.yielding ? 1 : 0)
			.description("1 while this instance paces its webhook deliveries to leave the CPUs to the API")
			.register(meters);
	}

	/**
	 * Waits for the turn of the next attempt: at once, unless delivery yields. Answers
	 * false if interrupted (the worker is stopping).
	 */
	boolean awaitTurn() {
		if (!yielding()) {
			return true;
		}
		try {
			this.yieldBucket.asBlocking().consume(1);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	boolean yielding() {
		synchronized (this) {
			long now = System.nanoTime();
			if (now - this.checkedAt >= CHECK_NANOS) {
				this.checkedAt = now;
				boolean busy = this.api.startedWithin(BUSY_WINDOW);
				// negative when the load is not known: then delivery never yields
				double load = busy ? this.cpuLoad.getAsDouble() : 0;
				boolean yielding = busy && load > this.yieldAboveCpu;
				if (yielding != this.yielding) {
					log.debug("Webhook delivery {} (API busy: {}, CPU load {})",
							yielding ? "gives way to the API" : "runs at full speed", busy, load);
				}
				this.yielding = yielding;
			}
		}
		return this.yielding;
	}

}
