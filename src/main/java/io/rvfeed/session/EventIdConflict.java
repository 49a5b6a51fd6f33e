package io.rvfeed.session;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** An event id was reused for a different event. */
class EventIdConflict extends ApiProblem {

	EventIdConflict(UUID eventId, String what) {
		super(HttpStatus.CONFLICT, "Event " + eventId + " was already recorded with a different " + what
				+ ". Reuse an event_id only to retry the same event.");
	}

}
