package io.rvfeed.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.feed.FeedItem;
import io.rvfeed.web.ApiProblem;

/**
 * Applies the write API's commands, each in a transaction that commits before we answer.
 */
@Service
class SessionService {

	private static final Logger log = LoggerFactory.getLogger(SessionService.class);

	private final SessionRepository sessions;

	private final TransactionTemplate savepoint;

	SessionService(SessionRepository sessions, PlatformTransactionManager transactions) {
		this.sessions = sessions;
		this.savepoint = new TransactionTemplate(transactions);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
	}

	record Created(FeedItem session, boolean created) {
	}

	enum Result {

		APPLIED, DUPLICATE, CONFLICT, INVALID, NOT_FOUND, ERROR

	}

	record Recorded(Result result, EventRow event, FeedItem session) {
	}

	/** One batch item's outcome; {@code event} is null unless it was recorded. */
	record ItemOutcome(int index, Result result, int status, String message, UUID sessionId, UUID eventId) {
	}

	@Transactional
	public Created create(UUID tenantId, NewSession request, String defaultBy) {
		UUID sessionId = (request.sessionId() != null) ? request.sessionId() : UUID.randomUUID();
		Instant now = now();
		Instant createdAt = (request.createdAt() != null) ? request.createdAt() : now;
		String createdBy = (request.createdBy() != null) ? request.createdBy() : defaultBy;
		SessionRow row = new SessionRow(tenantId, sessionId, request.deviceId(), request.deviceName(),
				request.deviceAlias(), request.deviceState(), SessionState.INITIATED, request.videoQuality(), null,
				createdBy, createdBy, createdAt, createdAt, null, null);
		if (this.sessions.insertSession(row)) {
			this.sessions.insertEvent(new EventRow(tenantId, UUID.randomUUID(), sessionId, SessionState.INITIATED,
					createdAt, now, null, createdBy));
			return new Created(item(tenantId, sessionId), true);
		}
		SessionRow existing = this.sessions.find(tenantId, sessionId).orElseThrow();
		sameAsExisting(request, existing);
		return new Created(item(tenantId, sessionId), false);
	}

	private static void sameAsExisting(NewSession request, SessionRow existing) {
		UUID id = existing.sessionId();
		check(id, "device_id", request.deviceId(), existing.deviceId());
		check(id, "device_name", request.deviceName(), existing.deviceName());
		check(id, "device_alias", request.deviceAlias(), existing.deviceAlias());
		check(id, "device_state", request.deviceState(), existing.deviceState());
		check(id, "video_quality", request.videoQuality(), existing.videoQuality());
		if (request.createdAt() != null) {
			check(id, "created_at", request.createdAt(), existing.createdAt());
		}
		if (request.createdBy() != null) {
			check(id, "created_by", request.createdBy(), existing.createdBy());
		}
	}

	private static void check(UUID sessionId, String field, Object requested, Object existing) {
		if (!Objects.equals(requested, existing)) {
			throw new SessionIdConflict(sessionId, field);
		}
	}

	@Transactional
	public Recorded record(UUID tenantId, NewEvent event, String defaultBy) {
		return apply(tenantId, event, defaultBy, now());
	}

	/**
	 * Applies a batch in one transaction, each item inside its own savepoint so a refused
	 * item leaves the others intact. Items are applied grouped by session (keeping their
	 * order within a session), so concurrent batches lock sessions in one order and
	 * cannot deadlock.
	 */
	@Transactional
	public List<ItemOutcome> recordBatch(UUID tenantId, List<NewEvent> events, String defaultBy) {
		Instant now = now();
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < events.size(); i++) {
			order.add(i);
		}
		order.sort(Comparator.comparing((Integer i) -> events.get(i).sessionId()));
		ItemOutcome[] outcomes = new ItemOutcome[events.size()];
		for (int index : order) {
			NewEvent event = events.get(index);
			outcomes[index] = applyInSavepoint(tenantId, event, defaultBy, now, index);
		}
		return List.of(outcomes);
	}

	private ItemOutcome applyInSavepoint(UUID tenantId, NewEvent event, String defaultBy, Instant now, int index) {
		try {
			Recorded recorded = this.savepoint.execute((status) -> apply(tenantId, event, defaultBy, now));
			int status = (recorded.result() == Result.APPLIED) ? 201 : 200;
			String message = (recorded.result() == Result.APPLIED) ? "Recorded." : "Already recorded; nothing changed.";
			return new ItemOutcome(index, recorded.result(), status, message, event.sessionId(),
					recorded.event().eventId());
		}
		catch (ApiProblem problem) {
			Result result = switch (problem.status()) {
				case CONFLICT -> Result.CONFLICT;
				case NOT_FOUND -> Result.NOT_FOUND;
				default -> Result.INVALID;
			};
			return new ItemOutcome(index, result, problem.status().value(), problem.getMessage(), event.sessionId(),
					event.eventId());
		}
		catch (DataAccessException ex) {
			log.error("Batch item {} failed", index, ex);
			return new ItemOutcome(index, Result.ERROR, 500, "Internal error; this item was not recorded.",
					event.sessionId(), event.eventId());
		}
	}

	private Recorded apply(UUID tenantId, NewEvent event, String defaultBy, Instant now) {
		SessionRow session = this.sessions.lock(tenantId, event.sessionId())
			.orElseThrow(() -> new SessionNotFound(event.sessionId()));
		if (event.eventId() != null) {
			Optional<EventRow> existing = this.sessions.findEvent(tenantId, event.eventId());
			if (existing.isPresent()) {
				sameAsExisting(event, existing.get());
				return new Recorded(Result.DUPLICATE, existing.get(), item(tenantId, session.sessionId()));
			}
		}
		if (SessionLifecycle.contradictsEnd(session.state(), event.state())) {
			throw new SessionAlreadyEnded(session.sessionId(), session.state(), event.state());
		}
		EventRow row = new EventRow(tenantId, (event.eventId() != null) ? event.eventId() : UUID.randomUUID(),
				session.sessionId(), event.state(), (event.occurredAt() != null) ? event.occurredAt() : now, now,
				event.reason(), (event.updatedBy() != null) ? event.updatedBy() : defaultBy);
		if (!this.sessions.insertEvent(row)) {
			// the id was taken meanwhile by an event of another session, which we had not
			// locked
			throw new EventIdConflict(row.eventId(), "session");
		}
		this.sessions.apply(tenantId, session.sessionId(),
				SessionLifecycle.fold(this.sessions.eventsByArrival(tenantId, session.sessionId())));
		return new Recorded(Result.APPLIED, row, item(tenantId, session.sessionId()));
	}

	private static void sameAsExisting(NewEvent event, EventRow existing) {
		UUID id = existing.eventId();
		if (!existing.sessionId().equals(event.sessionId())) {
			throw new EventIdConflict(id, "session");
		}
		if (existing.state() != event.state()) {
			throw new EventIdConflict(id, "state");
		}
		if (event.occurredAt() != null && !event.occurredAt().equals(existing.occurredAt())) {
			throw new EventIdConflict(id, "occurred_at");
		}
		if (!Objects.equals(event.reason(), existing.reason())) {
			throw new EventIdConflict(id, "reason");
		}
		if (event.updatedBy() != null && !event.updatedBy().equals(existing.updatedBy())) {
			throw new EventIdConflict(id, "updated_by");
		}
	}

	@Transactional(readOnly = true)
	public Optional<SessionDetail> detail(UUID tenantId, UUID sessionId) {
		return this.sessions.findItem(tenantId, sessionId)
			.map((session) -> new SessionDetail(session,
					this.sessions.timeline(tenantId, sessionId)
						.stream()
						.map(SessionDetail.TimelineEvent::of)
						.toList()));
	}

	private FeedItem item(UUID tenantId, UUID sessionId) {
		return this.sessions.findItem(tenantId, sessionId).orElseThrow();
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
