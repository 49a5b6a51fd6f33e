package io.rvfeed.stats;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** No turn for a statistics statement within the queue timeout: 429 with Retry-After. */
class StatsBusy extends ApiProblem {

	StatsBusy(String message) {
		super(HttpStatus.TOO_MANY_REQUESTS, message);
	}

}
