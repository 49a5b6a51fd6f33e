package io.rvfeed.webhook;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Signed webhooks.
 *
 * @param deliveryEnabled whether this instance delivers messages; every instance that
 * does shares the work (default true)
 * @param allowPrivateTargets whether endpoints may resolve to loopback, private,
 * link-local, multicast or metadata addresses (default false)
 * @param retrySchedule the waits before each retry after a failed attempt, each given a
 * jitter of up to 10 %; after the last the message fails (default 5s, 5m, 30m, 2h, 5h,
 * 10h, 10h)
 * @param disableAfter how long an endpoint may fail without a single success before it is
 * disabled (default 5 days)
 * @param timeout the whole of one attempt: connect, send, and the response's status and
 * first KB (default 10 s)
 * @param maxConcurrency most attempts in flight at once on one instance (default 32)
 * @param maxPerEndpoint most attempts in flight at once to one endpoint, per instance
 * (default 4)
 * @param pollInterval how often an idle worker looks for due messages (default 250 ms)
 * @param secretOverlap how long the previous secret still signs after a rotation (default
 * 24 h)
 * @param maxEndpointsPerTenant most endpoints a tenant may have (default 50)
 * @param retention how long delivered and failed messages, with their attempts, stay in
 * the delivery log (default 30 days)
 * @param yieldAboveCpu the CPU load (0 to 1, of the machine or container) above which
 * delivery gives way to the API while its requests keep coming; 1 never gives way
 * (default 0.8)
 * @param yieldRate the messages per second one instance still sends while it gives way
 * (default 100)
 */
@ConfigurationProperties("rvfeed.webhook")
record WebhookProperties(@DefaultValue("true") boolean deliveryEnabled,
		@DefaultValue("false") boolean allowPrivateTargets, @DefaultValue( {
				"5s", "5m", "30m", "2h", "5h", "10h", "10h" }) List<Duration> retrySchedule,
		@DefaultValue("5d") Duration disableAfter, @DefaultValue("10s") Duration timeout,
		@DefaultValue("32") int maxConcurrency, @DefaultValue("4") int maxPerEndpoint,
		@DefaultValue("250ms") Duration pollInterval, @DefaultValue("24h") Duration secretOverlap,
		@DefaultValue("50") int maxEndpointsPerTenant, @DefaultValue("30d") Duration retention,
		@DefaultValue("0.8") double yieldAboveCpu, @DefaultValue("100") int yieldRate){

	WebhookProperties {
		retrySchedule = List.copyOf(retrySchedule);
		if (retrySchedule.stream().anyMatch((wait) -> wait.isNegative() || wait.isZero())) {
			throw new IllegalArgumentException(
					"rvfeed.webhook.retry-schedule must list positive durations, not " + retrySchedule);
		}
		positive("disable-after", disableAfter);
		positive("timeout", timeout);
		positive("poll-interval", pollInterval);
		positive("secret-overlap", secretOverlap);
		positive("retention", retention);
		if (!(yieldAboveCpu > 0 && yieldAboveCpu <= 1)) {
			throw new IllegalArgumentException(
					"rvfeed.webhook.yield-above-cpu must be above 0 and at most 1, not " + yieldAboveCpu);
		}
		if (yieldRate < 1) {
			throw new IllegalArgumentException("rvfeed.webhook.yield-rate must be at least 1, not " + yieldRate);
		}
		if (maxConcurrency < 1 || maxPerEndpoint < 1 || maxEndpointsPerTenant < 1) {
			throw new IllegalArgumentException(
					"rvfeed.webhook.max-concurrency, max-per-endpoint and max-endpoints-per-tenant must be at least 1");
		}
	}

	private static void positive(String name, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("rvfeed.webhook." + name + " must be positive, not " + value);
		}
	}

	/**
	 * How long a claim of {@code messages} messages, sent one after the other, holds
	 * them: past the last attempt's end.
	 */
	Duration claimLease(int messages) {
		return this.timeout.multipliedBy(messages).plusSeconds(5);
	}

}
