package io.rvfeed.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * The operator's bearer tokens (admin, metrics): one {@code Authorization} header that
 * equals {@code Bearer <token>}, compared in constant time.
 */
public final class OperatorTokens {

	private OperatorTokens() {
	}

	/** The header value a token must arrive in, or null when no token is configured. */
	public static byte @Nullable [] expected(@Nullable String token) {
		return (token == null || token.isBlank()) ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
	}

	public static boolean matches(byte @Nullable [] expected, HttpServletRequest request) {
		List<String> given = Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION));
		return expected != null && given.size() == 1
				&& MessageDigest.isEqual(expected, given.get(0).trim().getBytes(StandardCharsets.UTF_8));
	}

}
