package io.rvfeed.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * The request is malformed: a parameter, header or body field has a value we cannot use.
 */
public class InvalidRequest extends ApiProblem {

	public InvalidRequest(String message) {
		super(HttpStatus.BAD_REQUEST, message);
	}

	public InvalidRequest(List<String> problems) {
		super(HttpStatus.BAD_REQUEST, summary(problems), problems);
	}

	private static String summary(List<String> problems) {
		return (problems.size() == 1) ? problems.get(0) : "The request has " + problems.size()
				+ " problems (all listed in errors). The first: " + problems.get(0);
	}

}
