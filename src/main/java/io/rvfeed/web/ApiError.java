package io.rvfeed.web;

import java.util.List;
import java.util.Map;

/**
 * The one error body of every non-2xx answer: Esper's documented shape ({@code errors},
 * {@code message}, {@code status}) plus the endpoint spec's {@code code} and
 * {@code content}.
 */
public record ApiError(List<String> errors, String message, int status, int code, Map<String, Object> content) {

	public static ApiError of(int status, String message, List<String> errors) {
		return new ApiError(List.copyOf(errors), message, status, status, Map.of());
	}

	public static ApiError of(int status, String message) {
		return of(status, message, List.of(message));
	}

}
