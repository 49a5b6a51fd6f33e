package io.rvfeed.session;

import java.util.Objects;
import java.util.UUID;

/** An event id was reused for a different event. */
class EventIdConflict extends EventRefused {

	EventIdConflict(UUID eventId, String what) {
		super(SessionService.Result.CONFLICT, "Event " + eventId + " was already recorded with a different " + what
				+ ". Reuse an event_id only to retry the same event.");
	}

	/**
	 * Throws unless the event is a retry of the one recorded under its id: the fields it
	 * leaves to their defaults match whatever they were recorded with.
	 */
	static void requireSame(NewEvent event, EventRow existing) {
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

}
