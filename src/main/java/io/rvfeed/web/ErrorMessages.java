package io.rvfeed.web;

import org.springframework.http.HttpStatus;

/**
 * The error messages that several places answer with, in one place so that they read the
 * same wherever the answer comes from (a controller, a filter, Tomcat's own error page).
 */
public final class ErrorMessages {

	public static final String NO_SUCH_ENDPOINT = "Not found. There is no such endpoint.";

	public static final String DATABASE_UNAVAILABLE = "The database is unavailable. Wait a moment and try again.";

	static final String INTERNAL_ERROR = "Internal error. Wait a moment and try again. If the issue persists, contact your operator.";

	static final String REQUEST_TOO_LARGE = "The request is too large.";

	private ErrorMessages() {
	}

	/**
	 * The message of an error status nothing more specific was said about: the status's
	 * reason phrase, or {@code Request failed.} for one without.
	 */
	static String forStatus(int status) {
		HttpStatus known = HttpStatus.resolve(status);
		return (known != null) ? known.getReasonPhrase() + "." : "Request failed.";
	}

	/**
	 * A parameter or header that must come once and came more often, such as
	 * {@code givenTwice("Parameter 'format'")}.
	 */
	public static String givenTwice(String what) {
		return what + " may be given only once.";
	}

}
