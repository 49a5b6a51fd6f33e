package io.rvfeed.webhook;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.rvfeed.audit.AuditActor;
import io.rvfeed.audit.AuditEntry;
import io.rvfeed.audit.AuditLog;
import io.rvfeed.session.EventPositions;
import io.rvfeed.web.FeedCursor;
import io.rvfeed.web.InvalidRequest;

/**
 * The endpoints API's commands. Each change (create, update, delete, rotate-secret,
 * retry, replay) is recorded in the audit log in its own transaction, with the API key
 * that made it; the secret never is.
 */
@Service
class WebhookService {

	static final int MAX_REPLAY = 10_000;

	private final EndpointRepository endpoints;

	private final MessageRepository messages;

	private final WebhookSecrets secrets;

	private final WebhookProperties properties;

	private final EventPositions positions;

	private final AuditLog audit;

	WebhookService(EndpointRepository endpoints, MessageRepository messages, WebhookSecrets secrets,
			WebhookProperties properties, EventPositions positions, AuditLog audit) {
		this.audit = audit;
		this.endpoints = endpoints;
		this.messages = messages;
		this.secrets = secrets;
		this.properties = properties;
		this.positions = positions;
	}

	/** The new endpoint and its secret, shown this once. */
	record Created(EndpointRow endpoint, String secret) {
	}

	@Transactional
	public Created create(AuditActor actor, UUID tenantId, EndpointRequest request) {
		// one creation at a time per tenant, so the limit holds
		this.endpoints.lockTenant(tenantId);
		if (this.endpoints.count(tenantId) >= this.properties.maxEndpointsPerTenant()) {
			throw new WebhookProblems.TooManyEndpoints(this.properties.maxEndpointsPerTenant());
		}
		UUID endpointId = UUID.randomUUID();
		String secret = this.secrets.generate();
		Instant now = now();
		EndpointRow row = new EndpointRow(tenantId, endpointId, request.url(), request.description(),
				(request.eventTypes() != null) ? request.eventTypes() : List.of(),
				(request.states() != null) ? request.states() : List.of(),
				(request.enabled() != null) ? request.enabled() : true, null, null,
				this.secrets.encrypt(tenantId, endpointId, secret), null, null, null, null, now, now);
		this.endpoints.insert(row);
		record(actor, "webhook.created", row, Map.of("url", row.url(), "enabled", row.enabled()));
		return new Created(row, secret);
	}

	@Transactional(readOnly = true)
	public EndpointRow get(UUID tenantId, UUID endpointId) {
		return this.endpoints.find(tenantId, endpointId)
			.orElseThrow(() -> new WebhookProblems.EndpointNotFound(endpointId.toString()));
	}

	@Transactional(readOnly = true)
	public List<EndpointRow> list(UUID tenantId) {
		return this.endpoints.list(tenantId);
	}

	@Transactional
	public EndpointRow update(AuditActor actor, UUID tenantId, UUID endpointId, EndpointRequest request) {
		EndpointRow e = this.endpoints.lock(tenantId, endpointId)
			.orElseThrow(() -> new WebhookProblems.EndpointNotFound(endpointId.toString()));
		boolean enabled = (request.enabled() != null) ? request.enabled() : e.enabled();
		boolean reenabled = enabled && !e.enabled();
		boolean disabledNow = !enabled && e.enabled();
		Instant now = now();
		EndpointRow updated = new EndpointRow(tenantId, endpointId, (request.url() != null) ? request.url() : e.url(),
				request.hasDescription() ? request.description() : e.description(),
				(request.eventTypes() != null) ? request.eventTypes() : e.eventTypes(),
				(request.states() != null) ? request.states() : e.states(), enabled,
				reenabled ? null : (disabledNow ? "Disabled through the API." : e.disabledReason()),
				reenabled ? null : (disabledNow ? now : e.disabledAt()), e.secret(), e.previousSecret(),
				e.previousSecretExpiresAt(), e.secretRotatedAt(), reenabled ? null : e.failingSince(), e.createdAt(),
				now);
		this.endpoints.update(updated);
		record(actor, "webhook.updated", updated, Map.of("url", updated.url(), "enabled", updated.enabled()));
		return updated;
	}

	@Transactional
	public void delete(AuditActor actor, UUID tenantId, UUID endpointId) {
		if (!this.endpoints.delete(tenantId, endpointId)) {
			throw new WebhookProblems.EndpointNotFound(endpointId.toString());
		}
		this.audit
			.record(AuditEntry.succeeded(actor, "webhook.deleted", tenantId, target(tenantId, endpointId), Map.of()));
	}

	/**
	 * A new secret, shown this once; the current one keeps signing too (a second
	 * signature) until the overlap ends, so receivers can switch without losing a
	 * message.
	 */
	@Transactional
	public Created rotate(AuditActor actor, UUID tenantId, UUID endpointId) {
		EndpointRow e = this.endpoints.lock(tenantId, endpointId)
			.orElseThrow(() -> new WebhookProblems.EndpointNotFound(endpointId.toString()));
		String secret = this.secrets.generate();
		Instant now = now();
		Instant expires = now.plus(this.properties.secretOverlap());
		this.endpoints.rotate(tenantId, endpointId, this.secrets.encrypt(tenantId, endpointId, secret), e.secret(),
				expires, now);
		EndpointRow rotated = this.endpoints.find(tenantId, endpointId).orElseThrow();
		record(actor, "webhook.secret_rotated", rotated, Map.of("previous_secret_expires_at", expires.toString()));
		return new Created(rotated, secret);
	}

	/**
	 * The endpoint's messages, newest first. The outbox's rows of the endpoint are
	 * unpacked first (so these reads write), and so in the methods below.
	 */
	@Transactional
	public List<MessageRow> messages(UUID tenantId, UUID endpointId, @Nullable String status, @Nullable UUID before,
			int limit) {
		get(tenantId, endpointId);
		this.messages.unpackAll(tenantId, endpointId);
		MessageRow after = null;
		if (before != null) {
			after = this.messages.find(tenantId, endpointId, before)
				.orElseThrow(() -> new InvalidRequest("Parameter 'before' names no message of this endpoint."));
		}
		return this.messages.list(tenantId, endpointId, status, after, limit);
	}

	@Transactional
	public MessageRow message(UUID tenantId, UUID endpointId, UUID messageId) {
		get(tenantId, endpointId);
		this.messages.unpackAll(tenantId, endpointId);
		return this.messages.find(tenantId, endpointId, messageId)
			.orElseThrow(() -> new WebhookProblems.MessageNotFound(messageId.toString()));
	}

	@Transactional
	public List<MessageRepository.Attempt> attempts(UUID tenantId, UUID endpointId, UUID messageId) {
		message(tenantId, endpointId, messageId);
		return this.messages.attempts(tenantId, messageId);
	}

	@Transactional
	public MessageRow retry(AuditActor actor, UUID tenantId, UUID endpointId, UUID messageId) {
		message(tenantId, endpointId, messageId);
		if (!this.messages.retry(tenantId, messageId)) {
			throw new WebhookProblems.AttemptInFlight(messageId);
		}
		this.audit.record(AuditEntry.succeeded(actor, "webhook.message_retried", tenantId, target(tenantId, endpointId),
				Map.of("message_id", "msg_" + messageId)));
		return this.messages.find(tenantId, endpointId, messageId).orElseThrow();
	}

	/**
	 * Queues again every event after the position that the endpoint wants, up to
	 * {@link #MAX_REPLAY}; the answer's cursor continues a replay that stopped there.
	 */
	@Transactional
	public WebhookViews.Replay replay(AuditActor actor, UUID tenantId, UUID endpointId, @Nullable String cursor,
			@Nullable Instant since) {
		EndpointRow endpoint = get(tenantId, endpointId);
		this.messages.unpackAll(tenantId, endpointId);
		FeedCursor from;
		if (cursor != null) {
			String parameter = "Field 'cursor'";
			from = FeedCursor.decode(cursor, FeedCursor.Kind.EVENTS, tenantId, parameter);
			from.requireGivenOut(this.positions.snapshotXmin(), parameter);
		}
		else if (since != null) {
			from = FeedCursor.before(FeedCursor.Kind.EVENTS, tenantId, this.positions.transactionAt(tenantId, since));
		}
		else {
			throw new InvalidRequest(
					"Give 'cursor' (an events feed cursor) or 'since' (an RFC 3339 time) to replay from.");
		}
		MessageRepository.Replayed replayed = this.messages.replay(endpoint, from.tx(), from.seq(), MAX_REPLAY);
		String next = (replayed.more() && replayed.lastTx() != null) ? new FeedCursor(FeedCursor.Kind.EVENTS, tenantId,
				Long.parseLong(replayed.lastTx()), replayed.lastArrival())
			.encode() : null;
		Map<String, Object> detail = new LinkedHashMap<>();
		detail.put("from", (cursor != null) ? "cursor" : "since " + since);
		detail.put("queued", replayed.queued());
		this.audit
			.record(AuditEntry.succeeded(actor, "webhook.replayed", tenantId, target(tenantId, endpointId), detail));
		return new WebhookViews.Replay(replayed.queued(), replayed.more(), next);
	}

	private void record(AuditActor actor, String action, EndpointRow endpoint, Map<String, Object> detail) {
		this.audit.record(AuditEntry.succeeded(actor, action, endpoint.tenantId(),
				target(endpoint.tenantId(), endpoint.endpointId()), detail));
	}

	private static String target(UUID tenantId, UUID endpointId) {
		return AuditEntry.tenant(tenantId) + "/webhooks/" + endpointId;
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
