package io.rvfeed.web;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, taken from a well-formed {@code X-Request-Id} or made up,
 * returned in the same header, and finds the client's address (see
 * {@link ClientAddress}). Both are in the log context (MDC) of whatever is logged while
 * the request is handled, and in request attributes for the request log. Answers 429 are
 * counted by the limit that refused them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestCorrelationFilter extends OncePerRequestFilter {

	static final String REQUEST_ID = "X-Request-Id";

	static final String REQUEST_ID_ATTRIBUTE = RequestCorrelationFilter.class.getName() + ".request-id";

	static final String CLIENT_IP_ATTRIBUTE = RequestCorrelationFilter.class.getName() + ".client-ip";

	/** What an incoming id may be: a UUID, a trace id, a load balancer's token. */
	private static final Pattern WELL_FORMED_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");

	private final ClientAddress clientAddress;

	private final MeterRegistry meters;

	RequestCorrelationFilter(RequestLogProperties properties, MeterRegistry meters) {
		this.clientAddress = new ClientAddress(properties.trustedProxies());
		this.meters = meters;
		// shown from the start, at 0
		limited("key");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String requestId = requestId(request);
		String client = this.clientAddress.of(request);
		request.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
		request.setAttribute(CLIENT_IP_ATTRIBUTE, client);
		response.setHeader(REQUEST_ID, requestId);
		MDC.put(RequestHeaders.MDC_REQUEST_ID, requestId);
		MDC.put(RequestHeaders.MDC_CLIENT_IP, client);
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (response.getStatus() == 429) {
				limited(Objects.toString(request.getAttribute(RequestHeaders.LIMIT_SCOPE_ATTRIBUTE), "other"))
					.increment();
			}
			MDC.remove(RequestHeaders.MDC_REQUEST_ID);
			MDC.remove(RequestHeaders.MDC_CLIENT_IP);
			MDC.remove(RequestHeaders.MDC_TENANT_ID);
			MDC.remove(RequestHeaders.MDC_KEY_ID);
		}
	}

	private Counter limited(String scope) {
		return Counter.builder("rvfeed.requests.limited")
			.description("Requests answered 429, by the limit that refused them")
			.tag("scope", scope)
			.register(this.meters);
	}

	private static String requestId(HttpServletRequest request) {
		List<String> given = Collections.list(request.getHeaders(REQUEST_ID));
		if (given.size() == 1 && WELL_FORMED_ID.matcher(given.get(0)).matches()) {
			return given.get(0);
		}
		// a version 4 UUID; an id needs no secure randomness, and SecureRandom is shared
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

}
