package io.rvfeed.admin;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import io.rvfeed.auth.OperatorTokens;
import io.rvfeed.web.ApiError;
import io.rvfeed.web.ApiErrorWriter;
import io.rvfeed.web.ErrorMessages;
import io.rvfeed.web.RequestBodies;

/**
 * Opens {@code /admin/} to the operator's admin token only. Without a configured token
 * the admin API does not exist: 404, as for any unknown path. Only an authenticated
 * request's body is read ({@link RequestBodies}).
 */
class AdminTokenFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(AdminTokenFilter.class);

	private static final RequestAttributeSecurityContextRepository REQUEST_CONTEXT = new RequestAttributeSecurityContextRepository();

	static final String AUTHORITY = "rvfeed:admin";

	static final String INVALID_TOKEN = "The admin token is missing or invalid. Send the header 'Authorization: Bearer <admin token>'.";

	private final byte[] expected;

	private final ApiErrorWriter errors;

	AdminTokenFilter(AdminProperties properties, ApiErrorWriter errors) {
		this.expected = properties.enabled() ? OperatorTokens.expected(properties.token()) : null;
		this.errors = errors;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.expected == null) {
			this.errors.write(response, ApiError.of(404, ErrorMessages.NO_SUCH_ENDPOINT));
			return;
		}
		if (!OperatorTokens.matches(this.expected, request)) {
			List<String> given = Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION));
			// the caller's address, never what it sent
			log.warn("Rejected admin request {} {} from {}: {} admin token", request.getMethod(),
					request.getRequestURI(), request.getRemoteAddr(), given.isEmpty() ? "no" : "invalid");
			this.errors.write(response, ApiError.of(401, INVALID_TOKEN));
			return;
		}
		SecurityContext context = SecurityContextHolder.getContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("admin", null,
				List.of(new SimpleGrantedAuthority(AUTHORITY))));
		// kept with the request for its second dispatch, once its body has arrived
		REQUEST_CONTEXT.saveContext(context, request, response);
		RequestBodies.allow(request, "admin", null);
		chain.doFilter(request, response);
	}

}
