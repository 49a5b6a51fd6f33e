package io.rvfeed.ratelimit;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** The API key has used up its rate limit for now. */
public class TooManyRequests extends ApiProblem {

	public TooManyRequests() {
		super(HttpStatus.TOO_MANY_REQUESTS, "Too many requests. Wait a moment and try again.");
	}

}
