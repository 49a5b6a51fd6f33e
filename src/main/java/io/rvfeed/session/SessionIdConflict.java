package io.rvfeed.session;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** A create request reused an existing session id with different details. */
class SessionIdConflict extends ApiProblem {

	SessionIdConflict(UUID sessionId, String field) {
		super(HttpStatus.CONFLICT, "Session " + sessionId + " already exists with a different '" + field
				+ "'. Reuse a session_id only to retry the same request.");
	}

}
