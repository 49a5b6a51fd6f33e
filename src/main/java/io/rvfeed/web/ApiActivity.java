package io.rvfeed.web;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * When the API last began a request: work in the background (webhook delivery) gives way
 * to the API's callers while they keep it busy. One volatile write per request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 6)
public class ApiActivity extends OncePerRequestFilter {

	private volatile long lastStart = System.nanoTime() - Duration.ofDays(1).toNanos();

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getRequestURI().startsWith("/api/")) {
			this.lastStart = System.nanoTime();
		}
		chain.doFilter(request, response);
	}

	/** Whether an API request began within {@code window}. */
	public boolean startedWithin(Duration window) {
		return System.nanoTime() - this.lastStart <= window.toNanos();
	}

}
