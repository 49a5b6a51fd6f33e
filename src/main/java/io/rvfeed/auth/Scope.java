package io.rvfeed.auth;

import java.util.Arrays;
import java.util.Optional;

/** What an API key may do. */
public enum Scope {

	FEED_READ("feed:read"), SESSIONS_WRITE("sessions:write"), WEBHOOKS_MANAGE("webhooks:manage");

	private final String value;

	Scope(String value) {
		this.value = value;
	}

	public String value() {
		return this.value;
	}

	public static Optional<Scope> fromValue(String value) {
		return Arrays.stream(values()).filter((scope) -> scope.value.equals(value)).findFirst();
	}

}
