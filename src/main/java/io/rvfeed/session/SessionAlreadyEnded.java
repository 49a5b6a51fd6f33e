package io.rvfeed.session;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** A terminal report that contradicts the terminal state the session already has. */
class SessionAlreadyEnded extends ApiProblem {

	SessionAlreadyEnded(UUID sessionId, SessionState ended, SessionState incoming) {
		super(HttpStatus.CONFLICT, "Session " + sessionId + " already ended as " + ended + "; a " + incoming
				+ " event contradicts that and was not recorded.");
	}

}
