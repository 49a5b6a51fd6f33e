package io.rvfeed.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.web.ApiProblem;
import io.rvfeed.web.DatabaseUnavailable;

/**
 * Applies the write API's commands, each in a transaction that commits before we answer.
 */
@Service
class SessionService {

	private static final Logger log = LoggerFactory.getLogger(SessionService.class);

	private final SessionRepository sessions;

	private final TransactionTemplate transaction;

	private final TransactionTemplate savepoint;

	private final Counter idTakenFallbacks;

	private final Counter errorFallbacks;

	SessionService(SessionRepository sessions, PlatformTransactionManager transactions, MeterRegistry meters) {
		this.sessions = sessions;
		this.idTakenFallbacks = fallbacks(meters, "id_taken");
		this.errorFallbacks = fallbacks(meters, "database_error");
		this.transaction = new TransactionTemplate(transactions);
		this.savepoint = new TransactionTemplate(transactions);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
	}

	private static Counter fallbacks(MeterRegistry meters, String cause) {
		return Counter.builder("rvfeed.batch.fallbacks")
			.description("Batches applied item by item, each in a savepoint, after the set-based path gave up")
			.tag("cause", cause)
			.register(meters);
	}

	record Created(FeedItem session, boolean created) {
	}

	/** What became of an event. */
	enum Result {

		/** Recorded, and applied to its session. */
		APPLIED,
		/** Recorded before under its event id: nothing changed. */
		DUPLICATE,
		/** Refused: it contradicts how the session ended, or reuses an event id. */
		CONFLICT,
		/** Not valid: refused before it reached the rules. */
		INVALID,
		/** Refused: no such session in the tenant. */
		NOT_FOUND,
		/** Not recorded: the database failed on it. */
		ERROR

	}

	record Recorded(Result result, EventRow event, FeedItem session) {
	}

	/**
	 * One batch item's outcome. {@code eventId} is the recorded event's (made up if the
	 * item had none) or else the item's own; {@code reason} says why a refused item was
	 * refused.
	 */
	record ItemOutcome(Result result, @Nullable String reason, UUID sessionId, @Nullable UUID eventId) {

		static ItemOutcome recorded(Result result, NewEvent event, UUID eventId) {
			return new ItemOutcome(result, null, event.sessionId(), eventId);
		}

		static ItemOutcome refused(NewEvent event, EventRefused refusal) {
			return new ItemOutcome(refusal.result(), refusal.getMessage(), event.sessionId(), event.eventId());
		}

		static ItemOutcome failed(NewEvent event) {
			return new ItemOutcome(Result.ERROR, null, event.sessionId(), event.eventId());
		}

	}

	@Transactional
	public Created create(UUID tenantId, NewSession request, String defaultBy) {
		UUID sessionId = (request.sessionId() != null) ? request.sessionId() : TimeOrderedIds.next();
		Instant now = now();
		Instant createdAt = (request.createdAt() != null) ? request.createdAt() : now;
		String createdBy = (request.createdBy() != null) ? request.createdBy() : defaultBy;
		SessionRow row = new SessionRow(tenantId, sessionId, request.deviceId(), request.deviceName(),
				request.deviceAlias(), request.deviceState(), SessionState.INITIATED, request.videoQuality(), null,
				createdBy, createdBy, createdAt, createdAt, null, null);
		if (this.sessions.insertSession(row)) {
			this.sessions.insertEvent(new EventRow(tenantId, TimeOrderedIds.next(), sessionId, SessionState.INITIATED,
					createdAt, now, null, createdBy), EventEffect.APPLIED, SessionState.INITIATED);
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
		return recordOne(tenantId, event, defaultBy, now());
	}

	/**
	 * Records one event in two round trips: lock the session and read its events (and any
	 * event with the new one's id), then insert the event and update the session
	 * together.
	 */
	private Recorded recordOne(UUID tenantId, NewEvent event, String defaultBy, Instant now) {
		SessionRepository.Locked locked = this.sessions.lock(tenantId, List.of(event.sessionId()),
				(event.eventId() != null) ? List.of(event.eventId()) : List.of());
		if (locked.sessions().isEmpty()) {
			throw new SessionNotFound(event.sessionId());
		}
		EventLedger ledger = new EventLedger(locked.sessions(), locked.events());
		EventLedger.Entry entry = ledger.record(tenantId, event, defaultBy, now);
		if (entry.duplicate()) {
			return new Recorded(Result.DUPLICATE, entry.event(), item(tenantId, event.sessionId()));
		}
		FeedItem item = this.sessions.insertEventAndApply(entry, ledger.outcomes().get(event.sessionId()))
			// the id was taken meanwhile by an event of another session, which we had not
			// locked
			.orElseThrow(() -> new EventIdConflict(entry.event().eventId(), "session"));
		return new Recorded(Result.APPLIED, entry.event(), item);
	}

	/**
	 * Applies a batch in one transaction, answering per item, in the order given: a
	 * refused item leaves the others intact. Items are decided as if applied one at a
	 * time grouped by session (keeping their order within a session): in memory, against
	 * the batch's sessions locked together first, then written with a fixed number of
	 * statements whatever the batch's size. Should the database refuse that, the batch is
	 * applied again item by item, each in a savepoint.
	 */
	public List<ItemOutcome> recordBatch(UUID tenantId, List<NewEvent> events, String defaultBy) {
		Instant now = now();
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < events.size(); i++) {
			order.add(i);
		}
		order.sort(Comparator.comparing((Integer i) -> events.get(i).sessionId()));
		try {
			return this.transaction.execute((status) -> recordTogether(tenantId, events, order, defaultBy, now));
		}
		catch (IdTakenMeanwhile ex) {
			this.idTakenFallbacks.increment();
			log.info("An event id of a batch was taken meanwhile by another session; applying it item by item");
		}
		catch (DataAccessException ex) {
			if (DatabaseUnavailable.isCause(ex)) {
				// not the statements' fault: the client retries the whole batch
				throw ex;
			}
			this.errorFallbacks.increment();
			log.warn("Batch of {} could not be applied at once; applying it item by item", events.size(), ex);
		}
		return this.transaction.execute((status) -> recordEach(tenantId, events, order, defaultBy, now));
	}

	private List<ItemOutcome> recordTogether(UUID tenantId, List<NewEvent> events, List<Integer> order,
			String defaultBy, Instant now) {
		List<UUID> eventIds = events.stream().map(NewEvent::eventId).filter(Objects::nonNull).distinct().toList();
		SessionRepository.Locked locked = this.sessions.lock(tenantId, sessionIds(events), eventIds);
		EventLedger ledger = new EventLedger(locked.sessions(), locked.events());
		ItemOutcome[] outcomes = new ItemOutcome[events.size()];
		for (int index : order) {
			NewEvent event = events.get(index);
			try {
				EventLedger.Entry entry = ledger.record(tenantId, event, defaultBy, now);
				outcomes[index] = ItemOutcome.recorded(entry.duplicate() ? Result.DUPLICATE : Result.APPLIED, event,
						entry.event().eventId());
			}
			catch (EventRefused refusal) {
				outcomes[index] = ItemOutcome.refused(event, refusal);
			}
		}
		List<EventRow> added = ledger.added();
		if (!added.isEmpty()) {
			List<EventLedger.Entry> entries = added.stream().map((row) -> ledger.recorded(row.eventId())).toList();
			if (this.sessions.insertEvents(tenantId, entries) != added.size()) {
				// an id we found free was taken by another session's event since: the
				// events decided after it may be decided differently
				throw new IdTakenMeanwhile();
			}
			this.sessions.applyAll(tenantId, ledger.outcomes());
		}
		return List.of(outcomes);
	}

	private List<ItemOutcome> recordEach(UUID tenantId, List<NewEvent> events, List<Integer> order, String defaultBy,
			Instant now) {
		// all at once first, in the one order every batch locks in
		this.sessions.lockAll(tenantId, sessionIds(events));
		ItemOutcome[] outcomes = new ItemOutcome[events.size()];
		for (int index : order) {
			outcomes[index] = recordInSavepoint(tenantId, events.get(index), defaultBy, now, index);
		}
		return List.of(outcomes);
	}

	private static Set<UUID> sessionIds(List<NewEvent> events) {
		return events.stream().map(NewEvent::sessionId).collect(Collectors.toSet());
	}

	private ItemOutcome recordInSavepoint(UUID tenantId, NewEvent event, String defaultBy, Instant now, int index) {
		try {
			Recorded recorded = this.savepoint.execute((status) -> recordOne(tenantId, event, defaultBy, now));
			return ItemOutcome.recorded(recorded.result(), event, recorded.event().eventId());
		}
		catch (EventRefused refusal) {
			return ItemOutcome.refused(event, refusal);
		}
		catch (DataAccessException ex) {
			if (DatabaseUnavailable.isCause(ex)) {
				throw ex;
			}
			log.error("Batch item {} failed", index, ex);
			return ItemOutcome.failed(event);
		}
	}

	/** Rolls back a batch whose decisions no longer hold. */
	private static final class IdTakenMeanwhile extends RuntimeException {

		IdTakenMeanwhile() {
			super(null, null, false, false);
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
