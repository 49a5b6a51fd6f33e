package io.rvfeed.webhook;

import java.util.List;

/** The event types an endpoint can subscribe to. */
final class EventTypes {

	static final String CREATED = "rv_session.created";

	static final String STATE_CHANGED = "rv_session.state_changed";

	static final String ENDED = "rv_session.ended";

	static final List<String> ALL = List.of(CREATED, STATE_CHANGED, ENDED);

	private EventTypes() {
	}

}
