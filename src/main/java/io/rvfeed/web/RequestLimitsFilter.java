package io.rvfeed.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.util.OnCommittedResponseWrapper;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses over-long query strings (414) and bodies declared over-large (413) in the
 * standard error body, before anything else, without reading the body. A body of unknown
 * length (chunked) is counted as it arrives, after authentication, by
 * {@link RequestBodyFilter}.
 * <p>
 * A body is only ever read after this first pass through the filters (on a second
 * dispatch, once it has arrived), so an answer sent during this pass leaves the body
 * unread: it says {@code Connection: close}, as {@link UnreadBodyValve} closes the
 * connection after it rather than drain the body.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestLimitsFilter extends OncePerRequestFilter {

	private final long maxQueryLength;

	private final long maxBodySize;

	private final ApiErrorWriter errors;

	RequestLimitsFilter(RequestLimitsProperties properties, ApiErrorWriter errors) {
		this.maxQueryLength = properties.maxQueryLength().toBytes();
		this.maxBodySize = properties.maxBodySize().toBytes();
		this.errors = errors;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		if (query != null && query.length() > this.maxQueryLength) {
			this.errors.write(response, ApiError.of(414,
					"The query string is too long: at most " + this.maxQueryLength + " characters are accepted."));
			return;
		}
		if (request.getContentLengthLong() > this.maxBodySize) {
			this.errors.write(response, ApiError.of(413,
					"The request body is too large: at most " + this.maxBodySize + " bytes are accepted."));
			return;
		}
		chain.doFilter(request, RequestBodyFilter.hasBody(request) ? new ClosingResponse(response) : response);
	}

	/** Adds {@code Connection: close} as the answer is committed. */
	private static final class ClosingResponse extends OnCommittedResponseWrapper {

		ClosingResponse(HttpServletResponse response) {
			super(response);
		}

		@Override
		protected void onResponseCommitted() {
			((HttpServletResponse) getResponse()).setHeader(HttpHeaders.CONNECTION, "close");
		}

	}

}
