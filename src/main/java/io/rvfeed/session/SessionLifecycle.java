package io.rvfeed.session;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The lifecycle rules: what a session looks like given the events recorded for it. The
 * fold depends only on the events (not on the order they arrived in, except to break ties
 * between equal times), so retried and reordered reports converge on one answer.
 * <ul>
 * <li>The state is the latest stage reached; stages only move forward.</li>
 * <li>started_at and ended_at are the earliest ACTIVE and terminal times: a repeated
 * stage changes nothing, a late earlier stage still records its time.</li>
 * <li>updated_at is the latest time recorded.</li>
 * <li>reason and updated_by come from the latest event (by time, then arrival) that
 * carries them.</li>
 * </ul>
 */
public final class SessionLifecycle {

	private SessionLifecycle() {
	}

	/** What the events make of a session. */
	public record Outcome(SessionState state, Instant updatedAt, @Nullable Instant startedAt, @Nullable Instant endedAt,
			@Nullable String reason, @Nullable String updatedBy) {
	}

	/**
	 * @param events every event of the session, in arrival order, creation first
	 */
	public static Outcome fold(List<EventRow> events) {
		SessionState state = SessionState.INITIATED;
		Instant updatedAt = null;
		Instant startedAt = null;
		Instant endedAt = null;
		String reason = null;
		Instant reasonAt = null;
		String updatedBy = null;
		Instant updatedByAt = null;
		for (EventRow event : events) {
			Instant at = event.occurredAt();
			if (event.state().stage() > state.stage()) {
				state = event.state();
			}
			if (event.state() == SessionState.ACTIVE) {
				startedAt = earliest(startedAt, at);
			}
			if (event.state().isTerminal()) {
				endedAt = earliest(endedAt, at);
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

	/** Whether an event in state {@code incoming} contradicts how the session ended. */
	public static boolean contradictsEnd(SessionState current, SessionState incoming) {
		return current.isTerminal() && incoming.isTerminal() && current != incoming;
	}

	private static Instant earliest(Instant current, Instant candidate) {
		return (current == null || candidate.isBefore(current)) ? candidate : current;
	}

}
