package io.rvfeed.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import io.rvfeed.support.TestTenants.TestTenant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real HTTP to the service ({@link HttpApi}) with the activity feed's requests, and the
 * assertions the feed's tests share.
 */
public class FeedApi extends HttpApi {

	public static final String PATH = "/api/v2/rv-activity-feed/";

	public FeedApi(int port) {
		super(port);
	}

	/** This client: it is an {@link HttpApi} too. */
	public HttpApi http() {
		return this;
	}

	/** A feed request as the tenant; {@code query} goes out exactly as written. */
	public HttpApi.Call call(TestTenant tenant, String query) {
		return get(PATH + (query.isEmpty() ? "" : "?" + query)).key(tenant.key());
	}

	public HttpApi.Reply get(TestTenant tenant, String query) {
		return call(tenant, query).send();
	}

	/** The {@code content} of a 200 answer. */
	public JsonNode page(TestTenant tenant, String query) {
		return content(get(tenant, query));
	}

	/** The session ids of a 200 answer, in order. */
	public List<UUID> ids(TestTenant tenant, String query) {
		return ids(page(tenant, query));
	}

	public static JsonNode content(HttpApi.Reply reply) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		assertThat(reply.header("Content-Type")).startsWith("application/json");
		JsonNode content = reply.json().get("content");
		assertThat(content).as(reply.toString()).isNotNull();
		return content;
	}

	public static List<UUID> ids(JsonNode content) {
		List<UUID> ids = new ArrayList<>();
		for (JsonNode result : content.get("results")) {
			ids.add(UUID.fromString(result.get("session_id").asString()));
		}
		return ids;
	}

	/** A JSON string's value, or null for JSON null. */
	public static String text(JsonNode node) {
		assertThat(node).isNotNull();
		return node.isNull() ? null : node.asString();
	}

	public static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	public static String join(Collection<?> values) {
		return String.join(",", values.stream().map(String::valueOf).toList());
	}

	/** Asserts the standard error body with the given status. */
	public static JsonNode assertError(HttpApi.Reply reply, int status) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
		assertThat(reply.header("Content-Type")).as(reply.toString()).startsWith("application/json");
		return assertErrorBody(reply.body(), status);
	}

	public static JsonNode assertError(HttpApi.RawReply reply, int status) {
		assertThat(reply.status()).as(reply.head() + "\n" + reply.body()).isEqualTo(status);
		assertThat(reply.head().toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json");
		return assertErrorBody(reply.body(), status);
	}

	/** A 400 whose message or errors name the parameter or header. */
	public static JsonNode assertBadRequest(HttpApi.Reply reply, String naming) {
		JsonNode body = assertError(reply, 400);
		assertThat(body.get("message").asString() + " " + body.get("errors").toString()).as(reply.toString())
			.contains(naming);
		return body;
	}

	public static JsonNode assertErrorBody(String text, int status) {
		JsonNode body = HttpApi.json(text);
		assertThat(body.get("status").asInt()).as(text).isEqualTo(status);
		assertThat(body.get("code").asInt()).as(text).isEqualTo(status);
		assertThat(body.get("message").isString()).as(text).isTrue();
		assertThat(body.get("message").asString()).as(text).isNotBlank();
		assertThat(body.get("errors").isArray()).as(text).isTrue();
		assertThat(body.get("errors")).as(text).isNotEmpty();
		for (JsonNode error : body.get("errors")) {
			assertThat(error.isString()).as(text).isTrue();
		}
		assertThat(body.get("content").isObject()).as(text).isTrue();
		assertThat(body.get("content")).as(text).isEmpty();
		assertNoInternals(text);
		return body;
	}

	/** No stack trace, SQL or Java class name in an answer. */
	public static void assertNoInternals(String text) {
		assertThat(text).as(text)
			.doesNotContain("Exception")
			.doesNotContain("\tat ")
			.doesNotContain("at io.")
			.doesNotContain("at org.")
			.doesNotContain("java.")
			.doesNotContain("org.jooq")
			.doesNotContain("org.springframework")
			.doesNotContain("SQL")
			.doesNotContain("ERROR: ")
			.doesNotContain("duration_us");
	}

}
