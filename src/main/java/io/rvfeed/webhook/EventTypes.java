package io.rvfeed.webhook;

import java.util.List;

/** The event types an endpoint can subscribe to. */
final class EventTypes {

	static final String CREATED = "rv_session.created";

	static final String STATE_CHANGED = "rv_session.state_changed";

	static final String ENDED = "rv_session.ended";

	static final List<String> ALL = List.of(CREATED, STATE_CHANGED, ENDED);

	/**
	 * The SQL expression of the event type of an event whose session state after it is in
	 * {@code stateColumn} (as the outbox trigger of V65 maps it).
	 */
	static String sqlOf(String stateColumn) {
		return "case " + stateColumn + " when 'INITIATED' then '" + CREATED + "' when 'TERMINATED' then '" + ENDED
				+ "' when 'FAILED' then '" + ENDED + "' else '" + STATE_CHANGED + "' end";
	}

	private EventTypes() {
	}

}
