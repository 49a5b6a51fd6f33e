package io.rvfeed.lifecycle;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A background job of the data lifecycle, as stored and as the admin polls it. */
record LifecycleJob(UUID jobId, String kind, UUID tenantId, String state, Instant requestedAt, String requestedBy,
		Instant updatedAt, @Nullable Instant finishedAt, long rowsDeleted, @Nullable String lastError) {

	static final String TENANT_DELETION = "tenant_deletion";

	static final String RUNNING = "running";

	static final String DONE = "done";

	boolean running() {
		return RUNNING.equals(this.state);
	}

}
