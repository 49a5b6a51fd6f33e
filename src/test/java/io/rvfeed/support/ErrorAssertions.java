package io.rvfeed.support;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that an answer is the standard error body. */
public final class ErrorAssertions {

	private ErrorAssertions() {
	}

	public static void assertStandardError(HttpApi.Reply reply, int status) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
		assertThat(reply.header("Content-Type")).startsWith("application/json");
		JsonNode body = reply.json();
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.get("code").asInt()).isEqualTo(status);
		assertThat(body.get("message").asString()).isNotBlank();
		assertThat(body.get("errors").isArray()).isTrue();
		assertThat(body.get("errors")).isNotEmpty();
		assertThat(body.get("content").isObject()).isTrue();
		assertThat(reply.body()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("SQL");
	}

	/** A 400 in the standard error body whose message starts with {@code message}. */
	public static void assertBadRequest(HttpApi.Reply reply, String message) {
		assertStandardError(reply, 400);
		assertThat(reply.json().get("message").asString()).as(reply.toString()).startsWith(message);
	}

}
