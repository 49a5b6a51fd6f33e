package io.rvfeed.db;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Answers every successful write under {@code /api/} with an {@code X-Consistency-Token}
 * when a read replica is configured: the primary's WAL position once the write's
 * transaction has committed (the handler has returned), which a later read may send back
 * to see at least this write (see {@link ReadDatabase}).
 */
@ControllerAdvice
class ConsistencyTokenAdvice implements ResponseBodyAdvice<Object> {

	private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

	private final ReadDatabase read;

	ConsistencyTokenAdvice(ReadDatabase read) {
		this.read = read;
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return this.read.replicaConfigured();
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (WRITES.contains(request.getMethod().name()) && request.getURI().getPath().startsWith("/api/")
				&& response instanceof ServletServerHttpResponse servlet
				&& servlet.getServletResponse().getStatus() < 400) {
			this.read.consistencyToken()
				.ifPresent(
						(token) -> response.getHeaders().set(ReadDatabase.CONSISTENCY_TOKEN_HEADER, token.toString()));
		}
		return body;
	}

}
