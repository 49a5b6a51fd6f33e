package io.rvfeed.session;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch endpoint answers per item; a bad item never poisons the good ones. */
class SessionBatchIT extends ServiceTest {

	WriteApi write;

	@BeforeEach
	void setUp() {
		this.write = write(this.tenants.create());
	}

	@Test
	void mixedGoodDuplicateConflictingAndInvalidItems() {
		UUID a = this.write.createSession(UUID.randomUUID(), "2026-04-01T08:00:00Z");
		UUID b = this.write.createSession(UUID.randomUUID(), "2026-04-01T09:00:00Z");
		UUID already = UUID.randomUUID();
		assertThat(
				this.write
					.event(b,
							"{\"event_id\":\"" + already
									+ "\",\"state\":\"FAILED\",\"occurred_at\":\"2026-04-01T09:00:30Z\"}")
					.status())
			.isEqualTo(201);
		String body = String.join("\n",
				"{\"session_id\":\"" + a + "\",\"state\":\"ACTIVE\",\"occurred_at\":\"2026-04-01T08:00:05Z\"}",
				"{\"session_id\":\"" + b + "\",\"event_id\":\"" + already
						+ "\",\"state\":\"FAILED\",\"occurred_at\":\"2026-04-01T09:00:30Z\"}",
				"{\"session_id\":\"" + b + "\",\"state\":\"TERMINATED\",\"occurred_at\":\"2026-04-01T09:01:00Z\"}",
				"{\"session_id\":\"" + a + "\",\"state\":\"EXPLODED\"}", "this is not json",
				"{\"session_id\":\"" + UUID.randomUUID() + "\",\"state\":\"ACTIVE\"}",
				"{\"session_id\":\"" + a
						+ "\",\"state\":\"TERMINATED\",\"occurred_at\":\"2026-04-01T08:30:05Z\",\"reason\":\"Ended by console user\"}",
				"");
		HttpApi.Reply reply = this.write.batch(body, "application/x-ndjson");
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		JsonNode content = reply.json().get("content");
		List<String> results = new ArrayList<>();
		content.get("results").forEach((r) -> results.add(r.get("result").asString()));
		assertThat(results).containsExactly("applied", "duplicate", "conflict", "invalid", "invalid", "not_found",
				"applied");
		assertThat(content.get("results").get(3).get("message").asString()).contains("state").contains("EXPLODED");
		assertThat(content.get("results").get(2).get("status").asInt()).isEqualTo(409);
		assertThat(content.get("counts").get("applied").asInt()).isEqualTo(2);
		assertThat(content.get("counts").get("invalid").asInt()).isEqualTo(2);

		JsonNode rowA = this.write.feedRow(a);
		assertThat(rowA.get("state").asString()).isEqualTo("TERMINATED");
		assertThat(rowA.get("duration").asString()).isEqualTo("PT30M");
		assertThat(rowA.get("reason").asString()).isEqualTo("Ended by console user");
		JsonNode rowB = this.write.feedRow(b);
		assertThat(rowB.get("state").asString()).isEqualTo("FAILED");
		assertThat(this.write.session(b).json().get("content").get("events")).hasSize(2);
	}

	@Test
	void aJsonArrayWorksTooAndRetryingTheBatchChangesNothing() {
		UUID a = this.write.createSession(UUID.randomUUID(), "2026-04-01T08:00:00Z");
		String body = "[{\"session_id\":\"" + a + "\",\"event_id\":\"" + UUID.randomUUID()
				+ "\",\"state\":\"ACTIVE\",\"occurred_at\":\"2026-04-01T08:00:05Z\"},{\"session_id\":\"" + a
				+ "\",\"event_id\":\"" + UUID.randomUUID()
				+ "\",\"state\":\"TERMINATED\",\"occurred_at\":\"2026-04-01T08:01:05Z\"}]";
		JsonNode first = this.write.batch(body, "application/json").json().get("content");
		assertThat(first.get("counts").get("applied").asInt()).isEqualTo(2);
		JsonNode again = this.write.batch(body, "application/json").json().get("content");
		assertThat(again.get("counts").get("duplicate").asInt()).isEqualTo(2);
		assertThat(this.write.feedRow(a).get("duration").asString()).isEqualTo("PT1M");
	}

	@Test
	void aBatchOfMoreThanAThousandIsRefusedWhole() {
		UUID a = this.write.createSession(UUID.randomUUID(), "2026-04-01T08:00:00Z");
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < 1001; i++) {
			body.append("{\"session_id\":\"").append(a).append("\",\"state\":\"ACKNOWLEDGED\"}\n");
		}
		HttpApi.Reply reply = this.write.batch(body.toString(), "application/x-ndjson");
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().get("message").asString()).contains("1000");
		assertThat(this.write.session(a).json().get("content").get("events")).hasSize(1);
	}

	@Test
	void aThousandEventsInOneBatch() {
		List<UUID> sessions = new ArrayList<>();
		for (int i = 0; i < 250; i++) {
			sessions.add(UUID.randomUUID());
		}
		StringBuilder creates = new StringBuilder();
		for (UUID session : sessions) {
			this.write.createSession(session, "2026-04-01T08:00:00Z");
		}
		for (UUID session : sessions) {
			for (String line : List.of("ACKNOWLEDGED\",\"occurred_at\":\"2026-04-01T08:00:01Z",
					"ACTIVE\",\"occurred_at\":\"2026-04-01T08:00:02Z",
					"TERMINATED\",\"occurred_at\":\"2026-04-01T08:10:02Z",
					"FAILED\",\"occurred_at\":\"2026-04-01T08:10:03Z")) {
				creates.append("{\"session_id\":\"")
					.append(session)
					.append("\",\"state\":\"")
					.append(line)
					.append("\"}\n");
			}
		}
		JsonNode content = this.write.batch(creates.toString(), "application/x-ndjson").json().get("content");
		assertThat(content.get("results")).hasSize(1000);
		assertThat(content.get("counts").get("applied").asInt()).isEqualTo(750);
		assertThat(content.get("counts").get("conflict").asInt()).isEqualTo(250);
		for (UUID session : sessions.subList(0, 5)) {
			assertThat(this.write.feedRow(session).get("duration").asString()).isEqualTo("PT10M");
		}
	}

	@Test
	void anEmptyOrMalformedBatchIs400() {
		assertThat(this.write.batch("", "application/x-ndjson").status()).isEqualTo(400);
		assertThat(this.write.batch("{\"not\":\"an array\"}", "application/json").status()).isEqualTo(400);
		assertThat(this.write.batch("[]", "application/json").status()).isEqualTo(400);
		assertThat(this.write.batch("[1,\"two\",null]", "application/json")
			.json()
			.get("content")
			.get("counts")
			.get("invalid")
			.asInt()).isEqualTo(3);
	}

}
