package io.rvfeed.db;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import io.rvfeed.web.ApiErrorWriter;
import io.rvfeed.web.DatabaseUnavailable;

/**
 * Answers 503 at once, before authentication and before reading any body, to requests
 * that need the database while it is not available: nothing waits for a connection that
 * cannot come, so an outage holds no worker threads.
 */
class DatabaseGate extends OncePerRequestFilter {

	private final DatabaseAvailability database;

	private final ApiErrorWriter errors;

	DatabaseGate(DatabaseAvailability database, ApiErrorWriter errors) {
		this.database = database;
		this.errors = errors;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !path.startsWith("/api/") && !path.startsWith("/admin/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.database.available()) {
			DatabaseUnavailable.write(this.errors, response);
			return;
		}
		chain.doFilter(request, response);
	}

}
