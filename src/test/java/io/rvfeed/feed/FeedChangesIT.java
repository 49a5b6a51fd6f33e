package io.rvfeed.feed;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.support.CursorFeed;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;
import io.rvfeed.web.FeedCursor;

import static io.rvfeed.support.ErrorAssertions.assertBadRequest;
import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v2/rv-activity-feed/changes}: session changes by cursor. */
@IntegrationTest
class FeedChangesIT {

	private static final String CHANGES = "/api/v2/rv-activity-feed/changes";

	@LocalServerPort
	int port;

	@Autowired
	TestTenants tenants;

	@Autowired
	JdbcTemplate jdbc;

	TestTenants.TestTenant tenant;

	HttpApi api;

	WriteApi write;

	@BeforeEach
	void setUp() {
		this.tenant = this.tenants.create();
		this.api = new HttpApi(this.port);
		this.write = new WriteApi(this.api, this.tenant.key());
	}

	private HttpApi.Reply get(String query) {
		return this.api.get(CHANGES + query).key(this.tenant.key()).send();
	}

	private FeedCursor position(String cursor) {
		return FeedCursor.decode(cursor, FeedCursor.Kind.CHANGES, this.tenant.id(), "cursor");
	}

	private static Map<String, String> latestStates(List<JsonNode> changes) {
		Map<String, String> states = new HashMap<>();
		changes.forEach((change) -> states.put(change.get("session_id").asString(), change.get("state").asString()));
		return states;
	}

	@Test
	void aReaderFollowingTheCursorSeesEveryChangeOnceInCommitOrder() {
		UUID a = this.write.createSession(UUID.randomUUID(), "2026-08-01T10:00:00Z");
		UUID b = this.write.createSession(UUID.randomUUID(), "2026-08-01T10:01:00Z");
		CursorFeed reader = new CursorFeed(this.api, this.tenant.key(), CHANGES, "limit=1");
		List<JsonNode> first = reader.drainAtLeast(2);
		assertThat(latestStates(first)).containsOnly(Map.entry(a.toString(), "INITIATED"),
				Map.entry(b.toString(), "INITIATED"));

		this.write.event(a, "ACTIVE", "2026-08-01T10:00:05Z");
		UUID c = this.write.createSession(UUID.randomUUID(), "2026-08-01T10:02:00Z");
		this.write.event(a, "TERMINATED", "2026-08-01T10:00:09Z");
		List<JsonNode> second = reader.drainAtLeast(2);
		// a changed twice since the last read: it comes once, in its latest state
		assertThat(second).extracting((change) -> change.get("session_id").asString())
			.containsExactly(c.toString(), a.toString());
		assertThat(latestStates(second).get(a.toString())).isEqualTo("TERMINATED");
		assertThat(second.get(1).get("ended_at").asString()).isEqualTo("2026-08-01T10:00:09Z");

		List<FeedCursor> positions = reader.records()
			.stream()
			.map((change) -> position(change.get("cursor").asString()))
			.toList();
		assertThat(positions).isSorted().doesNotHaveDuplicates();
		assertThat(reader.cursor())
			.isEqualTo(reader.records().get(reader.records().size() - 1).get("cursor").asString());
	}

	@Test
	void positionsAreOrderedAsNumbersNotAsText() {
		UUID nines = this.write.createSession(UUID.randomUUID(), "2026-08-01T10:00:00Z");
		UUID thousand = this.write.createSession(UUID.randomUUID(), "2026-08-01T10:00:00Z");
		// transaction ids of different lengths (below every real one): as text, '100'
		// sorts before '99'
		this.jdbc.update("update rv_session set change_tx = '99' where tenant_id = ? and session_id = ?",
				this.tenant.id(), nines);
		this.jdbc.update("update rv_session set change_tx = '100' where tenant_id = ? and session_id = ?",
				this.tenant.id(), thousand);
		CursorFeed reader = new CursorFeed(this.api, this.tenant.key(), CHANGES, "limit=1");
		assertThat(reader.drainAtLeast(2)).extracting((change) -> change.get("session_id").asString())
			.containsExactly(nines.toString(), thousand.toString());
	}

	@Test
	void withNothingNewThePageIsEmptyAndTheCursorStays() {
		this.write.createSession(UUID.randomUUID(), "2026-08-02T10:00:00Z");
		CursorFeed reader = new CursorFeed(this.api, this.tenant.key(), CHANGES, "limit=10");
		reader.drainAtLeast(1);
		String cursor = reader.cursor();
		HttpApi.Reply again = reader.poll();
		JsonNode content = again.json().get("content");
		assertThat(content.get("results")).isEmpty();
		assertThat(content.get("has_more").asBoolean()).isFalse();
		assertThat(content.get("next_cursor").asString()).isEqualTo(cursor);
		assertThat(again.header("Link"))
			.isEqualTo("<http://localhost:" + this.port + CHANGES + "?limit=10&cursor=" + cursor + ">; rel=\"next\"");
	}

	@Test
	void theLinkHeaderAndHasMoreLeadThroughEveryPage() {
		for (int i = 0; i < 5; i++) {
			this.write.createSession(UUID.randomUUID(), "2026-08-03T10:0" + i + ":00Z");
		}
		// all five show once the transactions older than theirs have ended
		new CursorFeed(this.api, this.tenant.key(), CHANGES, "states=INITIATED").drainAtLeast(5);
		HttpApi.Reply page = get("?limit=2&states=INITIATED&ignored=kept");
		int seen = 0;
		while (true) {
			JsonNode content = page.json().get("content");
			seen += content.get("results").size();
			String link = page.header("Link");
			assertThat(link)
				.startsWith(
						"<http://localhost:" + this.port + CHANGES + "?limit=2&states=INITIATED&ignored=kept&cursor=")
				.endsWith(">; rel=\"next\"");
			if (!content.get("has_more").asBoolean()) {
				break;
			}
			String next = link.substring(link.indexOf(CHANGES), link.indexOf('>'));
			page = this.api.get(next).key(this.tenant.key()).send();
		}
		assertThat(seen).isEqualTo(5);
	}

	@Test
	void theFeedsFiltersSelectOnTheStateAfterTheChange() {
		UUID quiet = this.write.createSession(UUID.randomUUID(), "2026-08-04T10:00:00Z");
		UUID failing = this.write.createSession(UUID.randomUUID(), "2026-08-04T10:00:00Z");
		this.write.event(failing, "FAILED", "2026-08-04T10:00:06Z");
		List<JsonNode> changes = new CursorFeed(this.api, this.tenant.key(), CHANGES, "states=failed").drainAtLeast(1);
		assertThat(latestStates(changes)).containsOnlyKeys(failing.toString()).doesNotContainKey(quiet.toString());
	}

	@Test
	void sinceStartsAtTheFirstTransactionRecordedFromThatTimeOn() throws InterruptedException {
		UUID before = this.write.createSession(UUID.randomUUID(), "2026-08-05T10:00:00Z");
		Thread.sleep(50);
		Instant since = Instant.now();
		Thread.sleep(50);
		UUID after = this.write.createSession(UUID.randomUUID(), "2026-08-05T09:00:00Z");
		this.write.event(before, "ACTIVE", "2026-08-05T10:00:05Z");
		JsonNode content = get("?since=" + since).json().get("content");
		assertThat(content.get("results")).extracting((change) -> change.get("session_id").asString())
			.containsExactly(after.toString(), before.toString());
		JsonNode future = get("?since=2999-01-01").json().get("content");
		assertThat(future.get("results")).isEmpty();
		JsonNode past = get("?since=2000-01-01").json().get("content");
		assertThat(latestStates(List.copyOf(iterable(past.get("results"))))).containsOnlyKeys(before.toString(),
				after.toString());
	}

	private static List<JsonNode> iterable(JsonNode array) {
		return array.valueStream().toList();
	}

	@Test
	void badParametersAre400sNamingThem() {
		assertBad("?cursor=not-a-cursor", "Parameter 'cursor' is not a cursor of the session changes feed");
		assertBad("?limit=-1", "Parameter 'limit' must be a non-negative integer.");
		assertBad("?limit=ten", "Parameter 'limit' must be a non-negative integer.");
		assertBad("?ordering=created_at", "Parameter 'ordering' does not apply here");
		assertBad("?offset=20", "Parameter 'offset' does not apply here");
		assertBad("?since=yesterday", "Parameter 'since' must be an RFC 3339 timestamp");
		assertBad("?since=2026-01-01&cursor=x", "Parameters 'cursor' and 'since' cannot be given together");
		assertBad("?states=BOGUS", "Parameter 'states' has an unknown value 'BOGUS'");
		assertBad("?cursor=a&cursor=b", "Parameter 'cursor' may be given only once.");
		String events = new FeedCursor(FeedCursor.Kind.EVENTS, this.tenant.id(), 1, 1).encode();
		assertBad("?cursor=" + events,
				"Parameter 'cursor' is a cursor of the session events feed, not of the session changes feed.");
		String future = new FeedCursor(FeedCursor.Kind.CHANGES, this.tenant.id(), Long.MAX_VALUE / 2, 1).encode();
		assertBad("?cursor=" + future, "Parameter 'cursor' points past the newest position");
		// every problem in one answer
		HttpApi.Reply several = get("?limit=x&offset=3&states=nope");
		assertStandardError(several, 400);
		assertThat(several.json().get("errors")).hasSize(3);
	}

	private void assertBad(String query, String message) {
		assertBadRequest(get(query), message);
	}

	@Test
	void tenantsAreIsolated() {
		UUID mine = this.write.createSession(UUID.randomUUID(), "2026-08-06T10:00:00Z");
		CursorFeed myReader = new CursorFeed(this.api, this.tenant.key(), CHANGES, "limit=5");
		myReader.drainAtLeast(1);
		TestTenants.TestTenant other = this.tenants.create();
		UUID theirs = new WriteApi(this.api, other.key()).createSession(UUID.randomUUID(), "2026-08-06T10:00:00Z");
		assertThat(latestStates(new CursorFeed(this.api, other.key(), CHANGES, "").drainAtLeast(1)))
			.containsOnlyKeys(theirs.toString());
		assertThat(latestStates(new CursorFeed(this.api, this.tenant.key(), CHANGES, "").drainAtLeast(1)))
			.containsOnlyKeys(mine.toString());
		// my cursor is refused for them exactly like a malformed one
		HttpApi.Reply foreign = this.api.get(CHANGES + "?cursor=" + myReader.cursor()).key(other.key()).send();
		HttpApi.Reply malformed = this.api.get(CHANGES + "?cursor=AAAA").key(other.key()).send();
		assertStandardError(foreign, 400);
		assertThat(foreign.json().get("message")).isEqualTo(malformed.json().get("message"));
	}

}
