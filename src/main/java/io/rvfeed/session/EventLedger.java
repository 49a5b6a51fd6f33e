package io.rvfeed.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Records events against locked sessions in memory, deciding each exactly as recording
 * them one at a time in the database would: every event sees the ones recorded before it.
 * The rows to write come out at the end: the new events, in the order to insert them
 * (their arrival), and the outcome of each session that got one.
 */
final class EventLedger {

	private final Map<UUID, EventRow> byId = new HashMap<>();

	private final Map<UUID, SessionEvents> sessions = new HashMap<>();

	private final List<EventRow> added = new ArrayList<>();

	/**
	 * @param locked the sessions events may be recorded for, locked until the transaction
	 * ends
	 * @param known in arrival order, every event of those sessions, and any other event
	 * whose id an event to record names
	 */
	EventLedger(Collection<SessionRow> locked, List<EventRow> known) {
		for (SessionRow row : locked) {
			this.sessions.put(row.sessionId(), new SessionEvents(row.state()));
		}
		for (EventRow event : known) {
			this.byId.put(event.eventId(), event);
			SessionEvents own = this.sessions.get(event.sessionId());
			if (own != null) {
				own.events.add(event);
			}
		}
	}

	/**
	 * An event recorded, or the one already recorded under its id; what a recorded one
	 * did to its session and the session's state after it.
	 */
	record Entry(boolean duplicate, EventRow event, @Nullable EventEffect effect, @Nullable SessionState sessionState) {
	}

	private final Map<UUID, Entry> recorded = new HashMap<>();

	/**
	 * Records the event, or throws the refusal the API answers for it.
	 */
	Entry record(UUID tenantId, NewEvent event, String defaultBy, Instant now) {
		SessionEvents session = this.sessions.get(event.sessionId());
		if (session == null) {
			throw new SessionNotFound(event.sessionId());
		}
		if (event.eventId() != null) {
			EventRow existing = this.byId.get(event.eventId());
			if (existing != null) {
				EventIdConflict.requireSame(event, existing);
				return new Entry(true, existing, null, null);
			}
		}
		// only a terminal event can contradict the state: others need not fold it
		if (event.state().isTerminal() && SessionLifecycle.contradictsEnd(session.state(), event.state())) {
			throw new SessionAlreadyEnded(event.sessionId(), session.state(), event.state());
		}
		EventRow row = new EventRow(tenantId, (event.eventId() != null) ? event.eventId() : TimeOrderedIds.next(),
				event.sessionId(), event.state(), (event.occurredAt() != null) ? event.occurredAt() : now, now,
				event.reason(), (event.updatedBy() != null) ? event.updatedBy() : defaultBy);
		SessionState reached = session.state();
		boolean repeated = session.events.stream().anyMatch((earlier) -> earlier.state() == row.state());
		Entry entry = new Entry(false, row, SessionLifecycle.effect(reached, repeated, row.state()),
				SessionLifecycle.stateAfter(reached, row.state()));
		this.byId.put(row.eventId(), row);
		session.add(row);
		this.added.add(row);
		this.recorded.put(row.eventId(), entry);
		return entry;
	}

	/** The entry of an event recorded here (one of {@link #added()}). */
	Entry recorded(UUID eventId) {
		return this.recorded.get(eventId);
	}

	/** The events recorded, in the order they were: insert them in this order. */
	List<EventRow> added() {
		return this.added;
	}

	/** What each session that got an event is now. */
	Map<UUID, SessionLifecycle.Outcome> outcomes() {
		Map<UUID, SessionLifecycle.Outcome> outcomes = new LinkedHashMap<>();
		for (EventRow event : this.added) {
			outcomes.computeIfAbsent(event.sessionId(), (id) -> SessionLifecycle.fold(this.sessions.get(id).events));
		}
		return outcomes;
	}

	/** One session's events in arrival order, and its state as its row has it. */
	private static final class SessionEvents {

		private final List<EventRow> events = new ArrayList<>();

		private SessionState state;

		private boolean folded = true;

		SessionEvents(SessionState state) {
			this.state = state;
		}

		void add(EventRow event) {
			this.events.add(event);
			this.folded = false;
		}

		/**
		 * The state the row would have now: the locked row's until an event is recorded,
		 * then the fold of all events, which recording one writes to the row.
		 */
		SessionState state() {
			if (!this.folded) {
				this.state = SessionLifecycle.fold(this.events).state();
				this.folded = true;
			}
			return this.state;
		}

	}

}
