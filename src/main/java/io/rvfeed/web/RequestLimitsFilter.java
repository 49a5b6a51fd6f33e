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
 * An answer sent while the request's body is unread says {@code Connection: close}, as
 * {@link UnreadBodyValve} closes the connection after it rather than drain the body. (A
 * body is read in this first pass through the filters only when it has all arrived with
 * the headers; otherwise on a second dispatch, which this filter does not wrap.)
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
		chain.doFilter(request, RequestBodyFilter.hasBody(request) ? new ClosingResponse(request, response) : response);
	}

	/**
	 * Adds {@code Connection: close} as the answer is committed, unless the body was
	 * read.
	 */
	private static final class ClosingResponse extends OnCommittedResponseWrapper {

		private final HttpServletRequest request;

		ClosingResponse(HttpServletRequest request, HttpServletResponse response) {
			super(response);
			this.request = request;
		}

		@Override
		protected void onResponseCommitted() {
			if (this.request.getAttribute(RequestBodyFilter.RECEIVED_ATTRIBUTE) == null) {
				((HttpServletResponse) getResponse()).setHeader(HttpHeaders.CONNECTION, "close");
			}
		}

	}

}
