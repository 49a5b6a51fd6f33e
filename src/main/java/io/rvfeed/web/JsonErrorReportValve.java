package io.rvfeed.web;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat answers some requests itself, before they reach the application (a malformed
 * request line, headers over the size limit). This valve makes those answers the standard
 * JSON error body too, never Tomcat's HTML page. Public because Tomcat makes it from its
 * class name.
 */
public class JsonErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		String message = switch (status) {
			case 400 -> "Bad request. The request line or headers could not be parsed.";
			case 404 -> ErrorMessages.NO_SUCH_ENDPOINT;
			case 413 -> ErrorMessages.REQUEST_TOO_LARGE;
			case 431 -> "The request headers are too large.";
			case 500 -> ErrorMessages.INTERNAL_ERROR;
			case 503 -> "The service is unavailable. Wait a moment and try again.";
			default -> "Request failed.";
		};
		try {
			response.setContentType("application/json");
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write("{\"errors\":[\"" + message + "\"],\"message\":\"" + message + "\",\"status\":" + status
						+ ",\"code\":" + status + ",\"content\":{}}");
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client has gone; nothing more to tell it
		}
	}

}
