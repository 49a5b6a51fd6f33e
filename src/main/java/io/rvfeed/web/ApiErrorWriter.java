package io.rvfeed.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/** Writes the standard error body from places that run outside Spring MVC (filters). */
@Component
public class ApiErrorWriter {

	private final ObjectMapper objectMapper;

	ApiErrorWriter(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
	}

	public void write(HttpServletResponse response, ApiError error) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.resetBuffer();
		response.setStatus(error.status());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		this.objectMapper.writeValue(response.getOutputStream(), error);
	}

	byte[] bytes(ApiError error) {
		return this.objectMapper.writeValueAsBytes(error);
	}

	public void write(HttpServletResponse response, ApiProblem problem) throws IOException {
		write(response, problem.toError());
	}

}
