package io.rvfeed.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Which requests may have their body read. A body is read only once an authentication
 * filter has vouched for the caller; every other request body is never read (the
 * connection is closed after the answer instead), so an anonymous client cannot hold the
 * service by sending one slowly.
 */
public final class RequestBodies {

	static final String CALLER_ATTRIBUTE = RequestBodies.class.getName() + ".caller";

	private RequestBodies() {
	}

	/**
	 * Lets the request's body be read, counted against the caller's own limit and, when
	 * it acts for a tenant, the tenant's.
	 * @param caller names the credential (an API key id, "admin")
	 * @param tenant the tenant it acts for, or null
	 */
	public static void allow(HttpServletRequest request, String caller, @Nullable String tenant) {
		request.setAttribute(CALLER_ATTRIBUTE, new Caller(caller, tenant));
	}

	static @Nullable Caller caller(HttpServletRequest request) {
		return (request.getAttribute(CALLER_ATTRIBUTE) instanceof Caller caller) ? caller : null;
	}

	record Caller(String key, @Nullable String tenant) {
	}

}
