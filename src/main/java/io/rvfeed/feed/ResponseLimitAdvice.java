package io.rvfeed.feed;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.rvfeed.web.ApiError;

/** 429 for a stream or export over its cap, with the standard body and Retry-After. */
@RestControllerAdvice(assignableTypes = { FeedStreamController.class, FeedExportController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
class ResponseLimitAdvice {

	@ExceptionHandler(ResponseLimitReached.class)
	ResponseEntity<ApiError> limitReached(ResponseLimitReached problem) {
		return ResponseEntity.status(problem.status())
			.header(HttpHeaders.RETRY_AFTER, Long.toString(ResponseLimitReached.RETRY_AFTER_SECONDS))
			.contentType(MediaType.APPLICATION_JSON)
			.body(problem.toError());
	}

}
