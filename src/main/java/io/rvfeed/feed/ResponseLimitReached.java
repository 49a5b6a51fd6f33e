package io.rvfeed.feed;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/**
 * A new stream or export would go over a cap on how many may be open at once: for the API
 * key, for the tenant, or on this instance. Answered 429 with {@code Retry-After}.
 */
class ResponseLimitReached extends ApiProblem {

	static final long RETRY_AFTER_SECONDS = 10;

	ResponseLimitReached(String message) {
		super(HttpStatus.TOO_MANY_REQUESTS, message);
	}

}
