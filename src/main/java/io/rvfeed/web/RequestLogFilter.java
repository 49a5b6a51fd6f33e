package io.rvfeed.web;

import java.io.IOException;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One log line per API request with its outcome, the tenant and the caller's
 * {@code X-Caller-Id}. Turn off with {@code rvfeed.request-log.enabled=false}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnProperty(name = "rvfeed.request-log.enabled", havingValue = "true", matchIfMissing = true)
class RequestLogFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger("io.rvfeed.requests");

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/") && !request.getRequestURI().startsWith("/admin/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long started = System.nanoTime();
		String caller = printable(request.getHeader(RequestHeaders.CALLER_ID));
		if (caller != null) {
			MDC.put("caller", caller);
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (request.isAsyncStarted()) {
				// answered later (a body still arriving, a stream): logged when complete
				request.getAsyncContext().addListener(new AsyncListener() {

					@Override
					public void onComplete(AsyncEvent event) {
						log(request, response, started, caller);
					}

					@Override
					public void onTimeout(AsyncEvent event) {
					}

					@Override
					public void onError(AsyncEvent event) {
					}

					@Override
					public void onStartAsync(AsyncEvent event) {
					}

				});
			}
			else {
				log(request, response, started, caller);
			}
			MDC.remove("caller");
		}
	}

	private static void log(HttpServletRequest request, HttpServletResponse response, long started, String caller) {
		long micros = (System.nanoTime() - started) / 1000;
		log.info("{} {} -> {} in {} ms tenant={} caller={}", request.getMethod(), request.getRequestURI(),
				response.getStatus(), micros / 1000.0, request.getAttribute(RequestHeaders.TENANT_ATTRIBUTE), caller);
	}

	/** What is safe to put in a log line: no control characters, bounded length. */
	private static String printable(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String cleaned = value.codePoints()
			.map((c) -> Character.isISOControl(c) ? '?' : c)
			.limit(RequestHeaders.MAX_CALLER_ID_LENGTH)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
		return cleaned;
	}

}
