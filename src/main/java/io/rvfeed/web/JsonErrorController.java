package io.rvfeed.web;

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

	@RequestMapping(path = "/error", produces = MediaType.ALL_VALUE)
	ResponseEntity<ApiError> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int status = (code instanceof Integer value && value >= 400) ? value : 404;
		String message = switch (status) {
			case 404 -> ErrorMessages.NO_SUCH_ENDPOINT;
			case 413 -> ErrorMessages.REQUEST_TOO_LARGE;
			case 500 -> ErrorMessages.INTERNAL_ERROR;
			default -> ErrorMessages.forStatus(status);
		};
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiError.of(status, message));
	}

}
