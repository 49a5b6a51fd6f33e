package io.rvfeed.feed;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.rvfeed.support.Csv;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export carries exactly the feed's rows, quoted by RFC 4180 and safe in a
 * spreadsheet.
 */
class FeedExportIT extends ServiceTest {

	TestTenants.TestTenant tenant;

	WriteApi write;

	@BeforeEach
	void setUp() {
		this.tenant = this.tenants.create();
		this.write = write(this.tenant);
	}

	private void create(String deviceName, String reason, String createdAt) {
		UUID id = UUID.randomUUID();
		HttpApi.Reply reply = this.write.create("{\"session_id\":\"" + id + "\",\"device_id\":\"" + UUID.randomUUID()
				+ "\",\"device_name\":" + HttpApi.quote(deviceName) + ",\"created_at\":\"" + createdAt + "\"}");
		assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
		if (reason != null) {
			this.write.event(id, "{\"state\":\"FAILED\",\"occurred_at\":\"" + createdAt + "\",\"reason\":"
					+ HttpApi.quote(reason) + "}");
		}
	}

	@Test
	void csvQuotesAndDefusesEveryAwkwardValue() {
		Map<String, String> awkward = Map.of("plain", "plain", "a, comma", "a, comma", "say \"hi\"", "say \"hi\"",
				"two\nlines", "two\nlines", "=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")", "+1 555",
				"'+1 555", "-2", "'-2", "@SUM(A1)", "'@SUM(A1)", "crlf\r\ninside", "crlf\r\ninside", "éclair ☕",
				"éclair ☕");
		int second = 10;
		for (String name : awkward.keySet()) {
			create(name, name, "2026-07-01T10:00:" + (second++) + "Z");
		}
		HttpApi.Reply reply = this.api.get("/api/v2/rv-activity-feed/export?format=csv&ordering=created_at")
			.key(this.tenant.key())
			.send();
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.header("Content-Type")).startsWith("text/csv");
		assertThat(reply.header("Content-Disposition")).startsWith("attachment; filename=\"rv-activity-feed-")
			.contains(".csv");
		List<List<String>> records = Csv.parse(reply.body());
		assertThat(records.get(0)).containsExactly("session_id", "device_id", "device_name", "device_alias",
				"device_state", "state", "video_quality", "reason", "duration", "created_by", "updated_by",
				"created_at", "updated_at", "started_at", "ended_at");
		assertThat(records).hasSize(awkward.size() + 1);
		JsonNode feed = this.api.get("/api/v2/rv-activity-feed/?ordering=created_at&limit=100")
			.key(this.tenant.key())
			.send()
			.json()
			.get("content")
			.get("results");
		assertThat(feed).hasSize(awkward.size());
		for (int i = 0; i < feed.size(); i++) {
			List<String> record = records.get(i + 1);
			JsonNode row = feed.get(i);
			String name = row.get("device_name").asString();
			assertThat(record.get(0)).isEqualTo(row.get("session_id").asString());
			assertThat(record.get(2)).isEqualTo(awkward.get(name));
			assertThat(record.get(7)).isEqualTo(awkward.get(name));
			assertThat(record.get(3)).isEmpty();
			assertThat(record.get(5)).isEqualTo("FAILED");
			assertThat(record.get(11)).isEqualTo(row.get("created_at").asString());
		}
	}

	@Test
	void ndjsonLinesAreTheFeedsRowsWithItsFiltersAndOrder() {
		for (int i = 0; i < 30; i++) {
			create("Device " + i, (i % 3 == 0) ? "Device went offline" : null,
					"2026-07-01T10:" + String.format("%02d", i) + ":00Z");
		}
		// sessions the filter excludes: ACTIVE ones
		List<String> excluded = new java.util.ArrayList<>();
		for (int i = 0; i < 5; i++) {
			UUID active = this.write.createSession(UUID.randomUUID(), "2026-07-01T11:0" + i + ":00Z");
			this.write.event(active, "ACTIVE", "2026-07-01T11:0" + i + ":05Z");
			excluded.add(active.toString());
		}
		String query = "states=failed,initiated&ordering=-device_name";
		HttpApi.Reply export = this.api.get("/api/v2/rv-activity-feed/export?format=ndjson&" + query)
			.key(this.tenant.key())
			.send();
		assertThat(export.status()).isEqualTo(200);
		assertThat(export.header("Content-Type")).startsWith("application/x-ndjson");
		String[] lines = export.body().split("\n");
		JsonNode feed = this.api.get("/api/v2/rv-activity-feed/?limit=500&" + query)
			.key(this.tenant.key())
			.send()
			.json()
			.get("content")
			.get("results");
		assertThat(lines).hasSize(feed.size()).hasSize(30);
		assertThat(export.body()).doesNotContain(excluded.toArray(String[]::new));
		for (int i = 0; i < lines.length; i++) {
			assertThat(HttpApi.json(lines[i])).isEqualTo(feed.get(i));
		}
	}

	@Test
	void exportFollowsTheFeedsRules() {
		assertThat(this.api.get("/api/v2/rv-activity-feed/export?format=xml").key(this.tenant.key()).send().status())
			.isEqualTo(400);
		assertThat(this.api.get("/api/v2/rv-activity-feed/export?states=NOPE").key(this.tenant.key()).send().status())
			.isEqualTo(400);
		assertThat(this.api.get("/api/v2/rv-activity-feed/export").send().status()).isEqualTo(401);
		TestTenants.TestTenant other = this.tenants.create();
		create("mine", null, "2026-07-01T10:00:00Z");
		HttpApi.Reply theirs = this.api.get("/api/v2/rv-activity-feed/export").key(other.key()).send();
		assertThat(Csv.parse(theirs.body())).hasSize(1);
	}

}
