package io.rvfeed.session;

import java.util.UUID;

/** A terminal report that contradicts the terminal state the session already has. */
class SessionAlreadyEnded extends EventRefused {

	SessionAlreadyEnded(UUID sessionId, SessionState ended, SessionState incoming) {
		super(SessionService.Result.CONFLICT, "Session " + sessionId + " already ended as " + ended + "; a " + incoming
				+ " event contradicts that and was not recorded.");
	}

}
