package io.rvfeed.auth;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.rvfeed.web.ApiError;
import io.rvfeed.web.ApiErrorWriter;

/**
 * Lets Prometheus scrape with the operator's metrics token; tenants' keys do not open it.
 */
class MetricsTokenFilter extends OncePerRequestFilter {

	static final String AUTHORITY = "metrics:scrape";

	private final MetricsProperties properties;

	private final ApiErrorWriter errors;

	MetricsTokenFilter(MetricsProperties properties, ApiErrorWriter errors) {
		this.properties = properties;
		this.errors = errors;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/actuator/prometheus");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] expected = OperatorTokens.expected(this.properties.token());
		if (expected == null) {
			this.errors.write(response,
					ApiError.of(401, "Metrics are disabled. Set RVFEED_METRICS_TOKEN to enable them."));
			return;
		}
		if (!OperatorTokens.matches(expected, request)) {
			this.errors.write(response, ApiError.of(401, "The metrics token is missing or invalid."));
			return;
		}
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("prometheus", null,
					List.of(new SimpleGrantedAuthority(AUTHORITY))));
		chain.doFilter(request, response);
	}

}
