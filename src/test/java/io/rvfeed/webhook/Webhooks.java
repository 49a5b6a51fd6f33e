package io.rvfeed.webhook;

import java.util.UUID;

import tools.jackson.databind.JsonNode;

import io.rvfeed.support.HttpApi;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook API as one tenant's key, for tests. */
final class Webhooks {

	private final HttpApi api;

	private final String key;

	Webhooks(HttpApi api, String key) {
		this.api = api;
		this.key = key;
	}

	/** An endpoint made; answers its id and secret. */
	record Made(UUID id, String secret) {
	}

	Made create(String json) {
		HttpApi.Reply reply = this.api.post("/api/v2/webhooks/", json).key(this.key).send();
		assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
		JsonNode content = reply.json().get("content");
		return new Made(UUID.fromString(content.get("id").asString()), content.get("secret").asString());
	}

	Made create(String url, String eventTypes) {
		return create("{\"url\":\"" + url + "\",\"event_types\":" + eventTypes + "}");
	}

	HttpApi.Reply get(String path) {
		return this.api.get("/api/v2/webhooks/" + path).key(this.key).send();
	}

	HttpApi.Reply call(String method, String path, String body) {
		return this.api.request(method, "/api/v2/webhooks/" + path, body).key(this.key).send();
	}

	JsonNode content(String path) {
		HttpApi.Reply reply = get(path);
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		return reply.json().get("content");
	}

}
