package io.rvfeed.stats;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** The statement ran past {@code rvfeed.stats.query-timeout} and was cancelled: 503. */
class StatsTooSlow extends ApiProblem {

	StatsTooSlow() {
		super(HttpStatus.SERVICE_UNAVAILABLE,
				"The statistics took too long to compute. Narrow the filters (a shorter time range) and try again.");
	}

}
