package io.rvfeed.stats;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.rvfeed.web.ApiError;

/** 429 with the standard body and Retry-After when no statistics turn came in time. */
@RestControllerAdvice(assignableTypes = StatsController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class StatsBusyAdvice {

	@ExceptionHandler(StatsBusy.class)
	ResponseEntity<ApiError> busy(StatsBusy problem) {
		return ResponseEntity.status(problem.status())
			.header(HttpHeaders.RETRY_AFTER, Long.toString(StatsLimits.retryAfter().toSeconds()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(problem.toError());
	}

}
