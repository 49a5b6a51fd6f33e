package io.rvfeed.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * An error that the client caused or must know about. Subclasses are named after what
 * happened; their message is written for the API user and is safe to return.
 */
public abstract class ApiProblem extends RuntimeException {

	private final HttpStatus status;

	private final List<String> details;

	protected ApiProblem(HttpStatus status, String message) {
		this(status, message, List.of(message));
	}

	protected ApiProblem(HttpStatus status, String message, List<String> details) {
		super(message, null, false, false);
		this.status = status;
		this.details = List.copyOf(details);
	}

	public HttpStatus status() {
		return this.status;
	}

	public ApiError toError() {
		return ApiError.of(this.status.value(), getMessage(), this.details);
	}

}
