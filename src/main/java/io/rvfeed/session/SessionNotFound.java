package io.rvfeed.session;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** No session with this id in the caller's tenant (another tenant's answers the same). */
class SessionNotFound extends ApiProblem {

	SessionNotFound(UUID sessionId) {
		super(HttpStatus.NOT_FOUND, "Session " + sessionId + " was not found.");
	}

}
