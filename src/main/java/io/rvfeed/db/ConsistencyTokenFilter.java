package io.rvfeed.db;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import io.rvfeed.web.ApiError;
import io.rvfeed.web.ApiErrorWriter;

/**
 * Applies a read's {@code X-Consistency-Token} (see {@link ReadDatabase}): the request's
 * reads see at least the write that answered with it. A header that is not such a token
 * answers 400. Without a read replica the header is ignored, as every read sees every
 * write.
 */
class ConsistencyTokenFilter extends OncePerRequestFilter {

	static final String MALFORMED = "Header '" + ReadDatabase.CONSISTENCY_TOKEN_HEADER
			+ "' must be the value of that header on an earlier write's response (like 16/B374D848).";

	private final ReadDatabase read;

	private final ApiErrorWriter errors;

	ConsistencyTokenFilter(ReadDatabase read, ApiErrorWriter errors) {
		this.read = read;
		this.errors = errors;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.read.replicaConfigured() || !request.getRequestURI().startsWith("/api/")
				|| request.getHeader(ReadDatabase.CONSISTENCY_TOKEN_HEADER) == null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(ReadDatabase.CONSISTENCY_TOKEN_HEADER);
		Optional<WalPosition> token = header.isBlank() ? Optional.empty()
				: (header.length() > 40) ? Optional.empty() : WalPosition.parse(header);
		if (token.isEmpty() && !header.isBlank()) {
			this.errors.write(response, ApiError.of(400, MALFORMED));
			return;
		}
		try {
			ReadDatabase.atLeast(token.orElse(null), () -> {
				chain.doFilter(request, response);
				return null;
			});
		}
		catch (IOException | ServletException | RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new ServletException(ex);
		}
	}

}
