package io.rvfeed.web;

import org.springframework.http.HttpStatus;

/** The request body is over the 1 MiB that any endpoint accepts. */
public class BodyTooLarge extends ApiProblem {

	public BodyTooLarge() {
		super(HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than 1 MiB (1048576 bytes).");
	}

}
