package io.rvfeed.lifecycle;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rvfeed.audit.AuditActor;
import io.rvfeed.web.InvalidRequest;
import io.rvfeed.web.RequestHeaders;

/**
 * The data lifecycle in the admin API: tenant deletion and its job, retention, erasure.
 */
@RestController
@RequestMapping(path = "/admin", produces = "application/json")
class LifecycleController {

	private final TenantDeletion deletion;

	private final LifecycleWorker worker;

	private final RetentionSettings retention;

	private final Erasure erasure;

	LifecycleController(TenantDeletion deletion, LifecycleWorker worker, RetentionSettings retention, Erasure erasure) {
		this.deletion = deletion;
		this.worker = worker;
		this.retention = retention;
		this.erasure = erasure;
	}

	/**
	 * Replaces a person's value by a pseudonym across the tenant's data; 200 with the
	 * counts.
	 */
	@PostMapping("/tenants/{tenantId}/erasure")
	ErasureView erase(@PathVariable UUID tenantId, @RequestBody ErasureBody body, HttpServletRequest http) {
		return ErasureView.of(this.erasure.erase(actor(http), tenantId, body.value()));
	}

	@GetMapping("/tenants/{tenantId}/retention")
	RetentionView retention(@PathVariable UUID tenantId) {
		return RetentionView.of(this.retention.get(tenantId));
	}

	/** {@code {"days": 30}}, or {@code {"keep_forever": true}} (the default). */
	@PutMapping("/tenants/{tenantId}/retention")
	RetentionView setRetention(@PathVariable UUID tenantId, @RequestBody RetentionBody body, HttpServletRequest http) {
		AuditActor actor = actor(http);
		boolean forever = Boolean.TRUE.equals(body.keepForever());
		if (forever == (body.days() != null)) {
			throw new InvalidRequest(
					"Send either days (1 to " + RetentionSettings.MAX_DAYS + ") or keep_forever: true, not both.");
		}
		return RetentionView.of(this.retention.set(actor, tenantId, body.days()));
	}

	/** 202 with the job (the same job when asked again), its address in Location. */
	@DeleteMapping("/tenants/{tenantId}")
	ResponseEntity<JobView> deleteTenant(@PathVariable UUID tenantId, HttpServletRequest http) {
		LifecycleJob job = this.deletion.request(actor(http), tenantId);
		if (job.running()) {
			this.worker.kick(job.jobId());
		}
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.location(URI.create("/admin/jobs/" + job.jobId()))
			.body(JobView.of(job));
	}

	@GetMapping("/jobs/{jobId}")
	JobView job(@PathVariable UUID jobId) {
		return JobView.of(this.deletion.job(jobId));
	}

	static AuditActor actor(HttpServletRequest request) {
		RequestHeaders.checkCallerId(request).ifPresent((error) -> {
			throw new InvalidRequest(error.message());
		});
		return AuditActor.adminApi(RequestHeaders.callerId(request));
	}

	record ErasureBody(@Nullable String value) {
	}

	record ErasureView(UUID tenantId, String pseudonym, long recordsChanged, Map<String, Long> byTable) {

		static ErasureView of(Erasure.Erased erased) {
			return new ErasureView(erased.tenantId(), erased.pseudonym(), erased.recordsChanged(), erased.byTable());
		}

	}

	record RetentionBody(@Nullable Integer days, @Nullable Boolean keepForever) {
	}

	record RetentionView(UUID tenantId, @Nullable Integer days, boolean keepForever, @Nullable Instant dataSince) {

		static RetentionView of(RetentionRepository.Retention retention) {
			return new RetentionView(retention.tenantId(), retention.days(), retention.days() == null,
					retention.dataSince());
		}

	}

	record JobView(UUID jobId, String kind, UUID tenantId, String state, Instant requestedAt, String requestedBy,
			Instant updatedAt, @Nullable Instant finishedAt, long rowsDeleted, @Nullable String lastError) {

		static JobView of(LifecycleJob job) {
			return new JobView(job.jobId(), job.kind(), job.tenantId(), job.state(), job.requestedAt(),
					job.requestedBy(), job.updatedAt(), job.finishedAt(), job.rowsDeleted(), job.lastError());
		}

	}

}
