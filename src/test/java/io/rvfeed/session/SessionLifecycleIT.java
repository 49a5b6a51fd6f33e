package io.rvfeed.session;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every lifecycle transition over HTTP, checking after each step what the feed shows:
 * state, started_at, ended_at, duration and updated_at.
 */
class SessionLifecycleIT extends ServiceTest {

	private static final String CREATED = "2026-03-01T10:00:00Z";

	WriteApi write;

	@BeforeEach
	void setUp() {
		this.write = write(this.tenants.create());
	}

	/** One event and what the feed must show after it; null expectations mean null. */
	record Step(String state, String at, int status, String expectState, String started, String ended, String duration,
			String updated) {
	}

	private void run(List<Step> steps) {
		UUID session = this.write.createSession(UUID.randomUUID(), CREATED);
		expect(session, "INITIATED", null, null, null, CREATED);
		for (Step step : steps) {
			HttpApi.Reply reply = this.write.event(session, step.state(), step.at());
			assertThat(reply.status()).as(step + " -> " + reply).isEqualTo(step.status());
			expect(session, step.expectState(), step.started(), step.ended(), step.duration(), step.updated());
		}
	}

	private void expect(UUID session, String state, String started, String ended, String duration, String updated) {
		JsonNode row = this.write.feedRow(session);
		assertThat(row.get("state").asString()).isEqualTo(state);
		assertThat(text(row, "started_at")).isEqualTo(started);
		assertThat(text(row, "ended_at")).isEqualTo(ended);
		assertThat(text(row, "duration")).isEqualTo(duration);
		assertThat(text(row, "updated_at")).isEqualTo(updated);
		assertThat(text(row, "created_at")).isEqualTo(CREATED);
	}

	private static String text(JsonNode row, String field) {
		return row.get(field).isNull() ? null : row.get(field).asString();
	}

	@Test
	void theUsualPathThroughEveryStage() {
		run(List.of(
				new Step("ACKNOWLEDGED", "2026-03-01T10:00:02Z", 201, "ACKNOWLEDGED", null, null, null,
						"2026-03-01T10:00:02Z"),
				new Step("ACTIVE", "2026-03-01T10:00:05Z", 201, "ACTIVE", "2026-03-01T10:00:05Z", null, null,
						"2026-03-01T10:00:05Z"),
				new Step("TERMINATED", "2026-03-01T10:10:35Z", 201, "TERMINATED", "2026-03-01T10:00:05Z",
						"2026-03-01T10:10:35Z", "PT10M30S", "2026-03-01T10:10:35Z")));
	}

	@Test
	void stagesCanBeSkipped() {
		run(List.of(
				new Step("ACTIVE", "2026-03-01T10:00:01.5Z", 201, "ACTIVE", "2026-03-01T10:00:01.500Z", null, null,
						"2026-03-01T10:00:01.500Z"),
				new Step("FAILED", "2026-03-02T12:00:02Z", 201, "FAILED", "2026-03-01T10:00:01.500Z",
						"2026-03-02T12:00:02Z", "PT26H0.5S", "2026-03-02T12:00:02Z")));
	}

	@Test
	void failingBeforeActiveHasNoDuration() {
		run(List.of(new Step("FAILED", "2026-03-01T10:00:30Z", 201, "FAILED", null, "2026-03-01T10:00:30Z", null,
				"2026-03-01T10:00:30Z")));
	}

	@Test
	void terminatedStraightFromInitiated() {
		run(List.of(new Step("TERMINATED", "2026-03-01T10:00:09Z", 201, "TERMINATED", null, "2026-03-01T10:00:09Z",
				null, "2026-03-01T10:00:09Z")));
	}

	@Test
	void aLateActiveAfterTheEndSetsStartedAtAndTheDurationAppears() {
		run(List.of(
				new Step("TERMINATED", "2026-03-01T11:00:00Z", 201, "TERMINATED", null, "2026-03-01T11:00:00Z", null,
						"2026-03-01T11:00:00Z"),
				new Step("ACTIVE", "2026-03-01T10:00:00.25Z", 201, "TERMINATED", "2026-03-01T10:00:00.250Z",
						"2026-03-01T11:00:00Z", "PT59M59.75S", "2026-03-01T11:00:00Z"),
				new Step("ACKNOWLEDGED", "2026-03-01T10:00:00.1Z", 201, "TERMINATED", "2026-03-01T10:00:00.250Z",
						"2026-03-01T11:00:00Z", "PT59M59.75S", "2026-03-01T11:00:00Z")));
	}

	@Test
	void aLateEarlierStageLeavesTheStateAlone() {
		run(List.of(
				new Step("ACTIVE", "2026-03-01T10:00:05Z", 201, "ACTIVE", "2026-03-01T10:00:05Z", null, null,
						"2026-03-01T10:00:05Z"),
				new Step("ACKNOWLEDGED", "2026-03-01T10:00:02Z", 201, "ACTIVE", "2026-03-01T10:00:05Z", null, null,
						"2026-03-01T10:00:05Z")));
	}

	@Test
	void aRepeatedStageUnderANewEventIdChangesNothing() {
		run(List.of(
				new Step("ACTIVE", "2026-03-01T10:00:05Z", 201, "ACTIVE", "2026-03-01T10:00:05Z", null, null,
						"2026-03-01T10:00:05Z"),
				new Step("ACTIVE", "2026-03-01T10:30:00Z", 201, "ACTIVE", "2026-03-01T10:00:05Z", null, null,
						"2026-03-01T10:00:05Z"),
				new Step("TERMINATED", "2026-03-01T10:40:05Z", 201, "TERMINATED", "2026-03-01T10:00:05Z",
						"2026-03-01T10:40:05Z", "PT40M", "2026-03-01T10:40:05Z"),
				new Step("TERMINATED", "2026-03-01T10:50:00Z", 201, "TERMINATED", "2026-03-01T10:00:05Z",
						"2026-03-01T10:40:05Z", "PT40M", "2026-03-01T10:40:05Z")));
	}

	@Test
	void theOtherTerminalStateIsAConflict() {
		run(List.of(
				new Step("TERMINATED", "2026-03-01T10:05:00Z", 201, "TERMINATED", null, "2026-03-01T10:05:00Z", null,
						"2026-03-01T10:05:00Z"),
				new Step("FAILED", "2026-03-01T10:06:00Z", 409, "TERMINATED", null, "2026-03-01T10:05:00Z", null,
						"2026-03-01T10:05:00Z")));
		run(List.of(
				new Step("FAILED", "2026-03-01T10:05:00Z", 201, "FAILED", null, "2026-03-01T10:05:00Z", null,
						"2026-03-01T10:05:00Z"),
				new Step("TERMINATED", "2026-03-01T10:04:00Z", 409, "FAILED", null, "2026-03-01T10:05:00Z", null,
						"2026-03-01T10:05:00Z")));
	}

	@Test
	void clockSkewGivesNoDuration() {
		run(List.of(
				new Step("TERMINATED", "2026-03-01T10:00:10Z", 201, "TERMINATED", null, "2026-03-01T10:00:10Z", null,
						"2026-03-01T10:00:10Z"),
				new Step("ACTIVE", "2026-03-01T10:00:20Z", 201, "TERMINATED", "2026-03-01T10:00:20Z",
						"2026-03-01T10:00:10Z", null, "2026-03-01T10:00:20Z")));
	}

	@Test
	void aZeroLengthSessionLastsPT0S() {
		run(List.of(
				new Step("ACTIVE", "2026-03-01T10:00:10Z", 201, "ACTIVE", "2026-03-01T10:00:10Z", null, null,
						"2026-03-01T10:00:10Z"),
				new Step("FAILED", "2026-03-01T10:00:10Z", 201, "FAILED", "2026-03-01T10:00:10Z",
						"2026-03-01T10:00:10Z", "PT0S", "2026-03-01T10:00:10Z")));
	}

	@Test
	void eventsDatedBeforeCreationAreAccepted() {
		run(List.of(new Step("ACKNOWLEDGED", "2026-03-01T09:59:00Z", 201, "ACKNOWLEDGED", null, null, null, CREATED)));
	}

	@Test
	void theSameEventIdAgainIsADuplicateAndChangesNothing() {
		UUID session = this.write.createSession(UUID.randomUUID(), CREATED);
		String event = "{\"event_id\":\"" + UUID.randomUUID()
				+ "\",\"state\":\"FAILED\",\"occurred_at\":\"2026-03-01T10:01:00Z\",\"reason\":\"Device went offline\"}";
		HttpApi.Reply first = this.write.event(session, event);
		assertThat(first.status()).isEqualTo(201);
		assertThat(first.json().get("content").get("result").asString()).isEqualTo("applied");
		HttpApi.Reply again = this.write.event(session, event);
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().get("content").get("result").asString()).isEqualTo("duplicate");
		assertThat(again.json().get("content").get("session")).isEqualTo(first.json().get("content").get("session"));
		JsonNode detail = this.write.session(session).json().get("content");
		assertThat(detail.get("events")).hasSize(2);
		assertThat(detail.get("reason").asString()).isEqualTo("Device went offline");
	}

	@Test
	void anEventIdReusedForADifferentEventIsAConflict() {
		UUID session = this.write.createSession(UUID.randomUUID(), CREATED);
		UUID eventId = UUID.randomUUID();
		assertThat(
				this.write
					.event(session,
							"{\"event_id\":\"" + eventId
									+ "\",\"state\":\"ACTIVE\",\"occurred_at\":\"2026-03-01T10:01:00Z\"}")
					.status())
			.isEqualTo(201);
		HttpApi.Reply other = this.write.event(session,
				"{\"event_id\":\"" + eventId + "\",\"state\":\"TERMINATED\",\"occurred_at\":\"2026-03-01T10:01:00Z\"}");
		assertThat(other.status()).isEqualTo(409);
		assertThat(other.json().get("message").asString()).contains(eventId.toString()).contains("state");
		UUID otherSession = this.write.createSession(UUID.randomUUID(), CREATED);
		assertThat(
				this.write
					.event(otherSession,
							"{\"event_id\":\"" + eventId
									+ "\",\"state\":\"ACTIVE\",\"occurred_at\":\"2026-03-01T10:01:00Z\"}")
					.status())
			.isEqualTo(409);
	}

	@Test
	void reasonAndUpdatedByComeFromTheLatestEventThatCarriesThem() {
		UUID session = this.write.createSession(UUID.randomUUID(), CREATED);
		this.write.event(session,
				"{\"state\":\"ACKNOWLEDGED\",\"occurred_at\":\"2026-03-01T10:00:03Z\",\"reason\":\"late ack\",\"updated_by\":\"device-agent\"}");
		this.write.event(session,
				"{\"state\":\"TERMINATED\",\"occurred_at\":\"2026-03-01T10:09:00Z\",\"reason\":\"Ended by console user\",\"updated_by\":\"alice@example.com\"}");
		this.write.event(session,
				"{\"state\":\"ACTIVE\",\"occurred_at\":\"2026-03-01T10:00:05Z\",\"reason\":\"streaming\",\"updated_by\":\"device-agent\"}");
		JsonNode row = this.write.feedRow(session);
		assertThat(row.get("reason").asString()).isEqualTo("Ended by console user");
		assertThat(row.get("updated_by").asString()).isEqualTo("alice@example.com");
		assertThat(row.get("duration").asString()).isEqualTo("PT8M55S");
	}

	@Test
	void theTimelineListsEveryEventByTime() {
		UUID session = this.write.createSession(UUID.randomUUID(), CREATED);
		this.write.event(session, "TERMINATED", "2026-03-01T10:09:00Z");
		this.write.event(session, "ACTIVE", "2026-03-01T10:00:05Z");
		this.write.event(session, "FAILED", "2026-03-01T10:09:01Z");
		JsonNode events = this.write.session(session).json().get("content").get("events");
		assertThat(events).hasSize(3);
		assertThat(events.get(0).get("state").asString()).isEqualTo("INITIATED");
		assertThat(events.get(1).get("state").asString()).isEqualTo("ACTIVE");
		assertThat(events.get(2).get("state").asString()).isEqualTo("TERMINATED");
		for (JsonNode event : events) {
			// none was given: the service made a time-ordered one
			assertThat(UUID.fromString(event.get("event_id").asString()).version()).isEqualTo(7);
			assertThat(event.get("received_at").asString()).endsWith("Z");
			assertThat(event.has("by")).isTrue();
			assertThat(event.has("reason")).isTrue();
		}
	}

}
