package io.rvfeed.session;

import java.util.UUID;

/** No session with this id in the caller's tenant (another tenant's answers the same). */
class SessionNotFound extends EventRefused {

	SessionNotFound(UUID sessionId) {
		super(SessionService.Result.NOT_FOUND, "Session " + sessionId + " was not found.");
	}

}
