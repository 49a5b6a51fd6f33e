package io.rvfeed.web;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers the servlet container's error dispatches (errors raised outside Spring MVC,
 * such as in filters) with the standard error body instead of Boot's default page.
 */
@RestController
class JsonErrorController implements ErrorController {

	private final ApiErrorWriter errors;

	JsonErrorController(ApiErrorWriter errors) {
		this.errors = errors;
	}

	/**
	 * Sent with its length, not chunked: after some errors (a malformed request body) the
	 * container closes the connection right after the body, before a last chunk.
	 */
	@RequestMapping(path = "/error", produces = MediaType.ALL_VALUE)
	ResponseEntity<byte[]> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int status = (code instanceof Integer value && value >= 400) ? value : 404;
		String message = switch (status) {
			case 400 -> (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof IOException)
					? "The request body could not be read: it or its chunked encoding is malformed." : "Bad request.";
			case 404 -> ErrorMessages.NO_SUCH_ENDPOINT;
			case 408 -> "The request did not arrive in time.";
			case 413 -> ErrorMessages.REQUEST_TOO_LARGE;
			case 500 -> ErrorMessages.INTERNAL_ERROR;
			default -> ErrorMessages.forStatus(status);
		};
		byte[] body = this.errors.bytes(ApiError.of(status, message));
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.contentLength(body.length)
			.body(body);
	}

}
