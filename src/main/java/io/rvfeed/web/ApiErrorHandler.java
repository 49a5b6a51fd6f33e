package io.rvfeed.web;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every exception that reaches Spring MVC into the standard error body. Messages
 * are written here, never copied from the exception, so no internals leak.
 */
@RestControllerAdvice
class ApiErrorHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

	@ExceptionHandler(ApiProblem.class)
	ResponseEntity<ApiError> handleProblem(ApiProblem problem) {
		return ResponseEntity.status(problem.status()).contentType(MediaType.APPLICATION_JSON).body(problem.toError());
	}

	/**
	 * Tomcat's complaint about a query string it cannot decode (bad percent-encoding).
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<ApiError> handleUndecodableQuery(InvalidParameterException ex, HttpServletRequest request) {
		String message = "The query string could not be decoded. Percent-encode reserved characters and use UTF-8.";
		List<String> problems = QueryText.problems(request.getQueryString());
		return json(problems.isEmpty() ? ApiError.of(400, message)
				: ApiError.of(400, message + " " + problems.get(0), problems));
	}

	/**
	 * Spring Security's firewall checks parameter names and header values lazily, when
	 * the application first reads them: a control character there is the client's fault.
	 */
	@ExceptionHandler(RequestRejectedException.class)
	ResponseEntity<ApiError> handleRejectedRequest(RequestRejectedException ex) {
		return json(ApiError.of(400,
				"The request has a parameter name or header value with characters that are not allowed."));
	}

	/**
	 * A database that cannot be reached, or a connection lost mid-request (at commit
	 * too), is a 503 the client may retry; any other database failure is a 500.
	 */
	@ExceptionHandler({ DataAccessException.class, TransactionException.class,
			org.jooq.exception.DataAccessException.class })
	ResponseEntity<ApiError> handleDatabaseFailure(Exception ex, HttpServletRequest request) {
		if (!DatabaseUnavailable.isCause(ex)) {
			return handleUnexpected(ex);
		}
		// one line, no stack trace: an outage would otherwise fill the log
		log.warn("{} {} answered 503: the database is unavailable ({})", request.getMethod(), request.getRequestURI(),
				NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS))
			.body(new DatabaseUnavailable().toError());
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ApiError> handleUnexpected(Exception ex) {
		log.error("Unhandled error", ex);
		return json(ApiError.of(500, ErrorMessages.INTERNAL_ERROR));
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		HttpHeaders out = new HttpHeaders();
		out.putAll(headers);
		out.setContentType(MediaType.APPLICATION_JSON);
		ApiError error = ApiError.of(statusCode.value(), messageFor(ex, statusCode));
		return new ResponseEntity<>(error, out, statusCode);
	}

	private static String messageFor(Exception ex, HttpStatusCode status) {
		if (ex instanceof HttpRequestMethodNotSupportedException notSupported) {
			String allowed = (notSupported.getSupportedHttpMethods() != null) ? notSupported.getSupportedHttpMethods()
				.stream()
				.map(Object::toString)
				.collect(Collectors.joining(", ")) : "none";
			return "Method " + notSupported.getMethod() + " is not allowed on this path. Allowed: " + allowed + ".";
		}
		if (ex instanceof NoResourceFoundException || ex instanceof NoHandlerFoundException) {
			return ErrorMessages.NO_SUCH_ENDPOINT;
		}
		if (ex instanceof HttpMediaTypeNotSupportedException) {
			return "Unsupported Content-Type. Send application/json.";
		}
		if (ex instanceof HttpMediaTypeNotAcceptableException) {
			return "Cannot answer in the media type named by the Accept header.";
		}
		if (ex instanceof TypeMismatchException mismatch && mismatch.getPropertyName() != null) {
			return "'" + mismatch.getPropertyName() + "' has the wrong format"
					+ ((UUID.class.equals(mismatch.getRequiredType())) ? ": it must be a UUID." : ".");
		}
		if (ex instanceof HttpMessageNotReadableException) {
			return unreadableBody(ex.getCause());
		}
		if (ex instanceof MaxUploadSizeExceededException) {
			return "The request body is too large.";
		}
		return ErrorMessages.forStatus(status.value());
	}

	/** Names the field a JSON body got wrong, when Jackson knows it. */
	private static String unreadableBody(Throwable cause) {
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return "The request body has the unknown field '" + unknown.getPropertyName() + "'.";
		}
		if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
			String field = mismatch.getPath()
				.stream()
				.map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName()
						: String.valueOf(reference.getIndex()))
				.collect(Collectors.joining("."));
			if (mismatch instanceof InvalidFormatException invalid && invalid.getValue() instanceof String text
					&& UnicodeText.unpairedSurrogateAt(text) >= 0) {
				return "The request body's field '" + field
						+ "' has an unpaired surrogate: it is not valid Unicode text. Send text as UTF-8.";
			}
			return "The request body's field '" + field + "' has the wrong type or format.";
		}
		return "The request body could not be read as JSON.";
	}

	private static ResponseEntity<ApiError> json(ApiError error) {
		return ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON).body(error);
	}

}
