package io.rvfeed.session;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The lifecycle rules: what a session looks like given the events recorded for it.
 * <ul>
 * <li>The state is the latest stage reached; stages only move forward, skipping is
 * allowed, and an earlier stage that arrives late still records its time (a late ACTIVE
 * after TERMINATED sets started_at, so the duration appears).</li>
 * <li>Each stage counts once: a repeated stage under a new event id stays in the timeline
 * but changes nothing; the first to arrive wins.</li>
 * <li>started_at is the time of ACTIVE, ended_at the time of TERMINATED or FAILED, and
 * updated_at the latest time among the events that count.</li>
 * <li>reason and updated_by come from the latest counting event (by time, then arrival)
 * that carries them.</li>
 * </ul>
 * Apart from repeats, the result does not depend on arrival order, so reordered reports
 * converge on one answer.
 */
public final class SessionLifecycle {

	private SessionLifecycle() {
	}

	/** What the events make of a session. */
	record Outcome(SessionState state, Instant updatedAt, @Nullable Instant startedAt, @Nullable Instant endedAt,
			@Nullable String reason, @Nullable String updatedBy) {
	}

	/**
	 * @param events every event of the session, in arrival order, creation first
	 */
	static Outcome fold(List<EventRow> events) {
		SessionState state = SessionState.INITIATED;
		Instant updatedAt = null;
		Instant startedAt = null;
		Instant endedAt = null;
		String reason = null;
		Instant reasonAt = null;
		String updatedBy = null;
		Instant updatedByAt = null;
		Set<SessionState> seen = EnumSet.noneOf(SessionState.class);
		for (EventRow event : events) {
			if (!seen.add(event.state())) {
				continue;
			}
			Instant at = event.occurredAt();
			if (event.state().stage() > state.stage()) {
				state = event.state();
			}
			if (event.state() == SessionState.ACTIVE) {
				startedAt = at;
			}
			if (event.state().isTerminal() && endedAt == null) {
				endedAt = at;
			}
			updatedAt = (updatedAt == null || at.isAfter(updatedAt)) ? at : updatedAt;
			if (event.reason() != null && (reasonAt == null || !at.isBefore(reasonAt))) {
				reason = event.reason();
				reasonAt = at;
			}
			if (event.updatedBy() != null && (updatedByAt == null || !at.isBefore(updatedByAt))) {
				updatedBy = event.updatedBy();
				updatedByAt = at;
			}
		}
		if (updatedAt == null) {
			throw new IllegalArgumentException("a session has at least its creation event");
		}
		return new Outcome(state, updatedAt, startedAt, endedAt, reason, updatedBy);
	}

	/**
	 * What an event in state {@code incoming} does to a session whose events so far
	 * reached {@code reached} (null: it has none, the event creates it).
	 * @param repeated whether one of those events has the same state
	 */
	public static EventEffect effect(@Nullable SessionState reached, boolean repeated, SessionState incoming) {
		if (repeated) {
			return EventEffect.REPEATED_STAGE;
		}
		return (reached != null && reached.stage() >= incoming.stage()) ? EventEffect.EARLIER_STAGE
				: EventEffect.APPLIED;
	}

	/** The session's state once an event in state {@code incoming} is recorded. */
	public static SessionState stateAfter(@Nullable SessionState reached, SessionState incoming) {
		return (reached == null || incoming.stage() > reached.stage()) ? incoming : reached;
	}

	/** Whether an event in state {@code incoming} contradicts how the session ended. */
	static boolean contradictsEnd(SessionState current, SessionState incoming) {
		return current.isTerminal() && incoming.isTerminal() && current != incoming;
	}

}
