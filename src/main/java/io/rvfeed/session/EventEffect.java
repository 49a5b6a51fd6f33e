package io.rvfeed.session;

import java.util.Locale;

/**
 * What recording an event did to its session (see {@link SessionLifecycle}), kept with
 * the event (V21) and shown in the events feed.
 */
public enum EventEffect {

	/** It moved the session to its stage (a creation is applied too). */
	APPLIED,

	/** The session was already further on: it only recorded the time of its stage. */
	EARLIER_STAGE,

	/** Its stage had been reported already: it changed nothing. */
	REPEATED_STAGE;

	/** As the API and the database write it: {@code applied}, {@code earlier_stage}... */
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static EventEffect ofWire(String text) {
		return valueOf(text.toUpperCase(Locale.ROOT));
	}

}
