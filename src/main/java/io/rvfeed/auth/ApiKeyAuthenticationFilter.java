package io.rvfeed.auth;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import io.rvfeed.ratelimit.RateLimitDecision;
import io.rvfeed.ratelimit.RateLimiter;
import io.rvfeed.ratelimit.TooManyRequests;
import io.rvfeed.web.ApiActivity;
import io.rvfeed.web.ApiError;
import io.rvfeed.web.ApiErrorWriter;
import io.rvfeed.web.ErrorMessages;
import io.rvfeed.web.RequestBodies;
import io.rvfeed.web.DatabaseUnavailable;
import io.rvfeed.web.RequestHeaders;

/**
 * Authenticates {@code /api/} requests by their bearer API key, counts them against the
 * key's rate limit, then checks the headers that every API request may carry.
 * Authentication comes first: without a valid key the answer is 401 whatever else is
 * wrong with the request; then 429 when the key is over its limit. Every authenticated
 * answer carries the {@code RateLimit-*} headers. Only then may the request's body be
 * read ({@link RequestBodies}).
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);

	private static final Pattern BEARER = Pattern.compile("^Bearer +(\\S+) *$", Pattern.CASE_INSENSITIVE);

	private static final RequestAttributeSecurityContextRepository REQUEST_CONTEXT = new RequestAttributeSecurityContextRepository();

	static final String MISSING_KEY = "Authentication credentials were not provided. Send the header 'Authorization: Bearer <API key>'.";

	static final String INVALID_KEY = "The API key is invalid.";

	private final ApiKeyRepository keys;

	private final ApiErrorWriter errors;

	private final RateLimiter rateLimiter;

	private final ApiActivity activity;

	ApiKeyAuthenticationFilter(ApiKeyRepository keys, ApiErrorWriter errors, RateLimiter rateLimiter,
			ApiActivity activity) {
		this.keys = keys;
		this.errors = errors;
		this.rateLimiter = rateLimiter;
		this.activity = activity;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		List<String> authorizations = java.util.Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION));
		if (authorizations.isEmpty()) {
			this.errors.write(response, ApiError.of(401, MISSING_KEY));
			return;
		}
		Optional<ApiKeyRepository.AuthenticatedKey> key;
		try {
			key = (authorizations.size() == 1) ? bearerKey(authorizations.get(0)).flatMap(this.keys::authenticate)
					: Optional.empty();
		}
		catch (DataAccessException | org.jooq.exception.DataAccessException ex) {
			if (DatabaseUnavailable.isCause(ex)) {
				// one line, no stack trace: an outage would otherwise fill the log
				log.warn("Cannot check API keys: the database is unavailable ({})",
						NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
			}
			else {
				log.error("Cannot check API keys", ex);
			}
			DatabaseUnavailable.write(this.errors, response);
			return;
		}
		if (key.isEmpty()) {
			// the caller's address, never the key
			log.warn("Rejected API request {} {} from {}: invalid API key", request.getMethod(),
					request.getRequestURI(), request.getRemoteAddr());
			this.errors.write(response, ApiError.of(401, INVALID_KEY));
			return;
		}
		ApiPrincipal caller = key.get().principal();
		// the request log names who called, whatever the answer
		request.setAttribute(RequestHeaders.TENANT_ATTRIBUTE, caller.tenantId());
		request.setAttribute(RequestHeaders.KEY_ATTRIBUTE, caller.keyId());
		// for whatever is logged while the request is handled; removed when it ends
		MDC.put(RequestHeaders.MDC_TENANT_ID, caller.tenantId().toString());
		MDC.put(RequestHeaders.MDC_KEY_ID, caller.keyId().toString());
		RateLimitDecision limit = this.rateLimiter.tryConsume(caller.keyId(),
				Objects.requireNonNullElse(key.get().rateLimit(), this.rateLimiter.defaultLimit()));
		limit.writeHeaders(response);
		if (!limit.allowed()) {
			request.setAttribute(RequestHeaders.LIMIT_SCOPE_ATTRIBUTE, "key");
			this.errors.write(response, new TooManyRequests());
			return;
		}
		Optional<ApiError> headerProblem = checkTenantHeader(request, caller)
			.or(() -> RequestHeaders.checkCallerId(request));
		if (headerProblem.isPresent()) {
			this.errors.write(response, headerProblem.get());
			return;
		}
		this.keys.touch(caller);
		this.activity.began();
		var authorities = caller.scopes().stream().map((scope) -> new SimpleGrantedAuthority(scope.value())).toList();
		SecurityContext context = SecurityContextHolder.getContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(caller, null, authorities));
		// kept with the request for its second dispatch, once its body has arrived
		REQUEST_CONTEXT.saveContext(context, request, response);
		request.setAttribute(RequestHeaders.TENANT_ATTRIBUTE, caller.tenantId());
		RequestBodies.allow(request, caller.keyId().toString(), caller.tenantId().toString());
		chain.doFilter(request, response);
	}

	private static Optional<String> bearerKey(String authorization) {
		var matcher = BEARER.matcher(authorization);
		return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
	}

	private static Optional<ApiError> checkTenantHeader(HttpServletRequest request, ApiPrincipal caller) {
		List<String> values = java.util.Collections.list(request.getHeaders(RequestHeaders.TENANT_ID))
			.stream()
			.filter((value) -> !value.isBlank())
			.toList();
		if (values.isEmpty()) {
			return Optional.empty();
		}
		if (values.size() > 1) {
			return Optional.of(ApiError.of(400, ErrorMessages.givenTwice("Header 'X-Tenant-Id'")));
		}
		Optional<UUID> tenant = RequestHeaders.parseUuid(values.get(0).trim());
		if (tenant.isEmpty()) {
			return Optional.of(ApiError.of(400, "Header 'X-Tenant-Id' must be a UUID."));
		}
		if (!tenant.get().equals(caller.tenantId())) {
			return Optional
				.of(ApiError.of(403, "Header 'X-Tenant-Id' names a tenant this API key does not belong to."));
		}
		return Optional.empty();
	}

}
