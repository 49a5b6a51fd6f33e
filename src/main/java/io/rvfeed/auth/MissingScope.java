package io.rvfeed.auth;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** The API key is valid but was not granted the scope this endpoint needs. */
class MissingScope extends ApiProblem {

	MissingScope(Scope scope) {
		super(HttpStatus.FORBIDDEN,
				"This API key lacks the scope '" + scope.value() + "' that this endpoint requires.");
	}

}
