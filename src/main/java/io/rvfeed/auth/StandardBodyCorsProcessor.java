package io.rvfeed.auth;

import java.io.IOException;

import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;

import io.rvfeed.web.ApiError;
import io.rvfeed.web.ApiErrorWriter;

/** Refuses a disallowed cross-origin request with the standard error body. */
class StandardBodyCorsProcessor extends DefaultCorsProcessor {

	private final ApiErrorWriter errors;

	StandardBodyCorsProcessor(ApiErrorWriter errors) {
		this.errors = errors;
	}

	@Override
	protected void rejectRequest(ServerHttpResponse response) throws IOException {
		if (response instanceof ServletServerHttpResponse servlet) {
			this.errors.write(servlet.getServletResponse(),
					ApiError.of(403, "Cross-origin requests from this origin are not allowed."));
			return;
		}
		super.rejectRequest(response);
	}

}
