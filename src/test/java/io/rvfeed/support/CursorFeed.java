package io.rvfeed.support;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A reader of a feed by cursor, as a collector would be: it asks with the last
 * {@code next_cursor} it got and keeps every record.
 */
public final class CursorFeed {

	private final HttpApi api;

	private final String key;

	private final String path;

	private final String filters;

	private String cursor;

	private final List<JsonNode> records = new ArrayList<>();

	/**
	 * @param path the feed, such as {@code /api/v2/rv-session-events/}
	 * @param filters query parameters besides the cursor, such as {@code limit=3}
	 */
	public CursorFeed(HttpApi api, String key, String path, String filters) {
		this.api = api;
		this.key = key;
		this.path = path;
		this.filters = filters;
	}

	/** One request from where the reader stands; answers its reply. */
	public HttpApi.Reply poll() {
		String query = this.filters + ((this.cursor != null) ? "&cursor=" + this.cursor : "");
		HttpApi.Reply reply = this.api.get(this.path + "?" + query).key(this.key).send();
		if (reply.status() != 200) {
			throw new AssertionError("feed read failed: " + reply);
		}
		JsonNode content = reply.json().get("content");
		content.get("results").forEach(this.records::add);
		this.cursor = content.get("next_cursor").asString();
		return reply;
	}

	/**
	 * Polls until an answer says there is no more; answers the records of those polls.
	 */
	public List<JsonNode> drain() {
		int before = this.records.size();
		while (poll().json().get("content").get("has_more").asBoolean()) {
			// more to read
		}
		return this.records.subList(before, this.records.size());
	}

	/**
	 * Drains until at least {@code count} records came (within 10 s): a change shows once
	 * every transaction that began before it has ended, and the service's background work
	 * (compactions, deliveries) runs transactions of its own at any moment.
	 */
	public List<JsonNode> drainAtLeast(int count) {
		int before = this.records.size();
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
		do {
			drain();
		}
		while (this.records.size() - before < count && System.nanoTime() < deadline);
		return this.records.subList(before, this.records.size());
	}

	public List<JsonNode> records() {
		return this.records;
	}

	public String cursor() {
		return this.cursor;
	}

}
