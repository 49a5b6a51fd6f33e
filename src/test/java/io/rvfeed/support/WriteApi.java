package io.rvfeed.support;

import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** The write API as a test calls it: one tenant's key, real HTTP. */
public final class WriteApi {

	private final HttpApi api;

	private final String key;

	public WriteApi(HttpApi api, String key) {
		this.api = api;
		this.key = key;
	}

	public HttpApi.Reply create(String json) {
		return this.api.post("/api/v2/rv-sessions/", json).key(this.key).send();
	}

	/** Creates a session with the given id and creation time and answers its id. */
	public UUID createSession(UUID sessionId, String createdAt) {
		HttpApi.Reply reply = create("{\"session_id\":\"" + sessionId + "\",\"device_id\":\"" + UUID.randomUUID()
				+ "\",\"device_name\":\"Device " + sessionId.toString().substring(0, 8) + "\",\"created_at\":\""
				+ createdAt + "\"}");
		if (reply.status() != 201) {
			throw new IllegalStateException("create failed: " + reply);
		}
		return sessionId;
	}

	public HttpApi.Reply event(UUID sessionId, String json) {
		return this.api.post("/api/v2/rv-sessions/" + sessionId + "/events/", json).key(this.key).send();
	}

	public HttpApi.Reply event(UUID sessionId, String state, String occurredAt) {
		return event(sessionId, "{\"state\":\"" + state + "\",\"occurred_at\":\"" + occurredAt + "\"}");
	}

	public HttpApi.Reply batch(String body, String contentType) {
		return this.api.request("POST", "/api/v2/rv-sessions/events:batch", body)
			.key(this.key)
			.header("Content-Type", contentType)
			.send();
	}

	public HttpApi.Reply session(UUID sessionId) {
		return this.api.get("/api/v2/rv-sessions/" + sessionId + "/").key(this.key).send();
	}

	/**
	 * The session as the feed lists it (the test's tenant holds only its own sessions).
	 */
	public JsonNode feedRow(UUID sessionId) {
		HttpApi.Reply reply = this.api.get("/api/v2/rv-activity-feed/?limit=500").key(this.key).send();
		if (reply.status() != 200) {
			throw new IllegalStateException("feed failed: " + reply);
		}
		for (JsonNode row : reply.json().get("content").get("results")) {
			if (row.get("session_id").asString().equals(sessionId.toString())) {
				return row;
			}
		}
		throw new AssertionError("session " + sessionId + " is not in the feed");
	}

}
