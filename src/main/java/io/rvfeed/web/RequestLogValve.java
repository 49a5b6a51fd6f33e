package io.rvfeed.web;

import java.io.IOException;
import java.util.Locale;
import java.util.UUID;

import io.micrometer.tracing.handler.TracingObservationHandler;
import jakarta.servlet.ServletException;
import org.apache.catalina.AccessLog;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * One log line per {@code /api/} and {@code /admin/} request, written when the answer is
 * complete (for an export or a live stream, when it ends), with its fields as key-value
 * pairs (fields of their own in JSON logs): request id, trace id, tenant, key id, caller,
 * client address, method, path (without the query string), status, duration and bytes
 * sent. No header values but the caller's id, no query strings, no bodies: no secrets.
 */
class RequestLogValve extends ValveBase implements AccessLog {

	private static final Logger log = LoggerFactory.getLogger("io.rvfeed.requests");

	RequestLogValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		getNext().invoke(request, response);
	}

	@Override
	public void log(Request request, Response response, long time) {
		String path = request.getRequestURI();
		if (path == null || !(path.startsWith("/api/") || path.startsWith("/admin/")) || !log.isInfoEnabled()) {
			return;
		}
		long startNanos = request.getCoyoteRequest().getStartTimeNanos();
		double millis = (startNanos > 0) ? (System.nanoTime() - startNanos) / 1_000_000.0 : time / 1_000_000.0;
		String duration = String.format(Locale.ROOT, "%.1f", millis);
		long bytes = response.getBytesWritten(false);
		String method = request.getMethod();
		int status = response.getStatus();
		String requestId = text(request.getAttribute(RequestCorrelationFilter.REQUEST_ID_ATTRIBUTE));
		String client = text(request.getAttribute(RequestCorrelationFilter.CLIENT_IP_ATTRIBUTE));
		if (client == null) {
			client = request.getRemoteAddr();
		}
		String tenant = text(request.getAttribute(RequestHeaders.TENANT_ATTRIBUTE));
		String key = text(request.getAttribute(RequestHeaders.KEY_ATTRIBUTE));
		String caller = printable(request.getHeader(RequestHeaders.CALLER_ID));
		String traceId = traceId(request);

		StringBuilder message = new StringBuilder().append(method)
			.append(' ')
			.append(path)
			.append(" -> ")
			.append(status)
			.append(" in ")
			.append(duration)
			.append(" ms, ")
			.append(bytes)
			.append(" bytes");
		LoggingEventBuilder event = log.atInfo()
			.addKeyValue("method", method)
			.addKeyValue("path", path)
			.addKeyValue("status", status)
			.addKeyValue("duration_ms", millis)
			.addKeyValue("bytes", bytes)
			.addKeyValue("client_ip", client);
		message.append(", client ").append(client);
		if (requestId != null) {
			event = event.addKeyValue("request_id", requestId);
			message.append(", request ").append(requestId);
		}
		if (traceId != null) {
			event = event.addKeyValue("trace_id", traceId);
			message.append(", trace ").append(traceId);
		}
		if (tenant != null) {
			event = event.addKeyValue("tenant_id", tenant);
			message.append(", tenant ").append(tenant);
		}
		if (key != null) {
			event = event.addKeyValue("key_id", key);
			message.append(", key ").append(key);
		}
		if (caller != null) {
			event = event.addKeyValue("caller", caller);
			message.append(", caller ").append(caller);
		}
		event.setMessage(message.toString()).log();
	}

	private static String traceId(Request request) {
		return ServerHttpObservationFilter.findObservationContext(request)
			.map((context) -> (TracingObservationHandler.TracingContext) context
				.get(TracingObservationHandler.TracingContext.class))
			.map(TracingObservationHandler.TracingContext::getSpan)
			.map((span) -> span.context().traceId())
			.filter((id) -> !id.isBlank() && !id.chars().allMatch((c) -> c == '0'))
			.orElse(null);
	}

	private static String text(Object value) {
		return (value == null) ? null : (value instanceof UUID uuid) ? uuid.toString() : value.toString();
	}

	/** What is safe to put in a log line: no control characters, bounded length. */
	private static String printable(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		return value.strip()
			.codePoints()
			.map((c) -> Character.isISOControl(c) ? '?' : c)
			.limit(RequestHeaders.MAX_CALLER_ID_LENGTH)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
	}

	@Override
	public void setRequestAttributesEnabled(boolean enabled) {
	}

	@Override
	public boolean getRequestAttributesEnabled() {
		return false;
	}

}
