package io.rvfeed.lifecycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Progress of the lifecycle's background work, for dashboards and alerts:
 * {@code rvfeed.lifecycle.rows.deleted} (by {@code job}: {@code tenant_deletion},
 * {@code retention}), {@code rvfeed.lifecycle.retention.sessions.purged} and
 * {@code .events.purged}, {@code rvfeed.lifecycle.retention.runs}.
 */
@Component
class LifecycleMetrics {

	final Counter tenantDeletionRows;

	final Counter retentionRows;

	final Counter purgedSessions;

	final Counter purgedEvents;

	final Counter retentionRuns;

	LifecycleMetrics(MeterRegistry meters) {
		this.tenantDeletionRows = Counter.builder("rvfeed.lifecycle.rows.deleted")
			.description("Rows deleted by the data lifecycle")
			.tag("job", "tenant_deletion")
			.register(meters);
		this.retentionRows = Counter.builder("rvfeed.lifecycle.rows.deleted")
			.description("Rows deleted by the data lifecycle")
			.tag("job", "retention")
			.register(meters);
		this.purgedSessions = Counter.builder("rvfeed.lifecycle.retention.sessions.purged")
			.description("Sessions deleted because they were older than their tenant's retention period")
			.register(meters);
		this.purgedEvents = Counter.builder("rvfeed.lifecycle.retention.events.purged")
			.description("Events deleted with their expired sessions")
			.register(meters);
		this.retentionRuns = Counter.builder("rvfeed.lifecycle.retention.runs")
			.description("Retention purge runs completed by this instance")
			.register(meters);
	}

}
