package io.rvfeed.web;

import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

/** The optional headers of Esper's API and how each is checked. */
public final class RequestHeaders {

	public static final String TENANT_ID = "X-Tenant-Id";

	public static final String CALLER_ID = "X-Caller-Id";

	public static final String PRIVATE_URL = "X-SCAPI-Private-URL";

	/** Request attribute holding the authenticated tenant, for the request log. */
	public static final String TENANT_ATTRIBUTE = RequestHeaders.class.getName() + ".tenant";

	/** Request attribute holding the id of the API key the request came with. */
	public static final String KEY_ATTRIBUTE = RequestHeaders.class.getName() + ".key";

	/**
	 * Request attribute naming the limit a 429 answer enforced ({@code key}: the key's
	 * token bucket), for the {@code rvfeed.requests.limited} metric.
	 */
	public static final String LIMIT_SCOPE_ATTRIBUTE = RequestHeaders.class.getName() + ".limit-scope";

	/** Log context (MDC) keys set while a request is handled. */
	public static final String MDC_REQUEST_ID = "request_id";

	public static final String MDC_CLIENT_IP = "client_ip";

	public static final String MDC_TENANT_ID = "tenant_id";

	public static final String MDC_KEY_ID = "key_id";

	public static final int MAX_CALLER_ID_LENGTH = 255;

	/** The request attribute holding the request's id (also in a second dispatch). */
	public static final String REQUEST_ID_ATTRIBUTE = RequestCorrelationFilter.REQUEST_ID_ATTRIBUTE;

	/** The request attribute holding the client's address (also in a second dispatch). */
	public static final String CLIENT_IP_ATTRIBUTE = RequestCorrelationFilter.CLIENT_IP_ATTRIBUTE;

	private RequestHeaders() {
	}

	/**
	 * A UUID in its canonical 8-4-4-4-12 form only ({@link UUID#fromString} is laxer).
	 */
	public static Optional<UUID> parseUuid(String value) {
		// checked by hand: a batch has a thousand of them, and a regular expression was a
		// twentieth of its time in the service
		if (value.length() != 36) {
			return Optional.empty();
		}
		for (int i = 0; i < 36; i++) {
			char c = value.charAt(i);
			boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
			if (hyphen ? c != '-' : !HexFormat.isHexDigit(c)) {
				return Optional.empty();
			}
		}
		return Optional.of(UUID.fromString(value));
	}

	public static Optional<ApiError> checkCallerId(HttpServletRequest request) {
		List<String> values = Collections.list(request.getHeaders(CALLER_ID));
		if (values.size() > 1) {
			return Optional.of(ApiError.of(400, ErrorMessages.givenTwice("Header 'X-Caller-Id'")));
		}
		if (values.isEmpty()) {
			return Optional.empty();
		}
		String value = UnicodeText.headerText(values.get(0));
		if (value == null) {
			return Optional.of(ApiError.of(400,
					"Header 'X-Caller-Id' is not valid UTF-8: it has an invalid, overlong or surrogate byte sequence."));
		}
		if (value.codePointCount(0, value.length()) > MAX_CALLER_ID_LENGTH) {
			return Optional.of(ApiError.of(400, "Header 'X-Caller-Id' must be at most 255 characters."));
		}
		if (value.codePoints().anyMatch(Character::isISOControl)) {
			return Optional.of(ApiError.of(400, "Header 'X-Caller-Id' must not contain control characters."));
		}
		return Optional.empty();
	}

	/**
	 * The caller id of a request as the client wrote it (UTF-8), or null; checked by
	 * {@link #checkCallerId} first.
	 */
	public static String callerId(HttpServletRequest request) {
		String value = request.getHeader(CALLER_ID);
		String text = (value != null) ? UnicodeText.headerText(value) : null;
		return (text == null || text.isBlank()) ? null : text.trim();
	}

}
