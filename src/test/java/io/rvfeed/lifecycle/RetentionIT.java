package io.rvfeed.lifecycle;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.support.CommitHorizon;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;
import io.rvfeed.support.WriteApi;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

class RetentionIT extends ServiceTest {

	static final String FEED = "/api/v2/rv-activity-feed/";

	static final String CHANGES = "/api/v2/rv-activity-feed/changes";

	static final String EVENTS = "/api/v2/rv-session-events/";

	/**
	 * The kept counts (V4), facet counts (V7) and joint counts (V43) against count(*) of
	 * the tenant's sessions, in one statement, so in one snapshot: kept total, count(*),
	 * facet values and joint cells whose kept count differs from the sessions'.
	 */
	public static final String CONSISTENCY = """
			with kept_facets as (
			  select facet, bucket, value, sum(n) as n
			  from (select facet, bucket, value, n from rv_session_facet_count where tenant_id = ?
			        union all
			        select facet, bucket, value, n from rv_session_facet_delta where tenant_id = ?) parts
			  group by facet, bucket, value having sum(n) <> 0),
			actual_facets as (
			  select f.facet, f.bucket, f.value, count(*) as n
			  from rv_session s,
			       rv_session_facets(s.reason_lc, s.device_name_lc, s.created_by_lc, s.created_at, s.updated_at,
			                         s.duration_us) f
			  where s.tenant_id = ?
			  group by f.facet, f.bucket, f.value),
			kept_joint as (
			  select state, video_quality, reason_lc, created_day, updated_day, duration_bucket, sum(n) as n
			  from (select state, video_quality, reason_lc, created_day, updated_day, duration_bucket, n
			        from rv_session_joint_count where tenant_id = ?
			        union all
			        select state, video_quality, reason_lc, created_day, updated_day, duration_bucket, n
			        from rv_session_joint_delta where tenant_id = ?) parts
			  group by 1, 2, 3, 4, 5, 6 having sum(n) <> 0),
			actual_joint as (
			  select state, video_quality, coalesce(reason_lc, '') as reason_lc,
			         floor(extract(epoch from created_at) / 86400)::integer as created_day,
			         floor(extract(epoch from updated_at) / 86400)::integer as updated_day,
			         rv_session_duration_bucket(duration_us) as duration_bucket, count(*) as n
			  from rv_session where tenant_id = ?
			  group by 1, 2, 3, 4, 5, 6)
			select (select coalesce(sum(n), 0) from (select n from rv_session_count where tenant_id = ?
			                                         union all
			                                         select n from rv_session_count_delta where tenant_id = ?) k) as kept,
			       (select count(*) from rv_session where tenant_id = ?) as actual,
			       (select count(*) from kept_facets k full join actual_facets a using (facet, bucket, value)
			        where k.n is distinct from a.n) as facet_mismatches,
			       (select count(*) from kept_joint k
			        full join actual_joint a using (state, video_quality, reason_lc, created_day, updated_day, duration_bucket)
			        where k.n is distinct from a.n) as joint_mismatches
			""";

	@Autowired
	DataSource dataSource;

	@Autowired
	RetentionPurge purge;

	@Autowired
	MeterRegistry meters;

	@Test
	void purgeDeletesExactlyTheExpiredSessionsWithTheirEventsAndCountsStayExact() throws Exception {
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		TestTenant tenant = this.tenants.create();
		TestTenant other = this.tenants.create();
		WriteApi write = write(tenant);
		Instant old = Instant.now().minus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
		List<UUID> expired = sessions(write, 60, old, "old");
		// kept: updated within the period, though created long ago
		List<UUID> renewed = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			UUID id = write.createSession(UUID.randomUUID(), old.toString());
			assertThat(write.event(id, "ACTIVE", old.plusSeconds(10).toString()).status()).isEqualTo(201);
			assertThat(write.event(id, "FAILED", Instant.now().minus(1, ChronoUnit.DAYS).toString()).status())
				.isEqualTo(201);
			renewed.add(id);
		}
		List<UUID> recent = sessions(write, 10, Instant.now().minus(2, ChronoUnit.DAYS), "recent");
		sessions(write(other), 8, old, "other");

		// cursors at the very start: the first records are the expired sessions'
		CommitHorizon.awaitPassedNow(jdbc);
		String oldEventCursor = this.api.get(EVENTS + "?limit=1")
			.key(tenant.key())
			.send()
			.json()
			.get("content")
			.get("next_cursor")
			.asString();
		String oldChangeCursor = this.api.get(CHANGES + "?limit=1")
			.key(tenant.key())
			.send()
			.json()
			.get("content")
			.get("next_cursor")
			.asString();
		assertThat(this.api.get(FEED).key(tenant.key()).send().header("X-Data-Since")).isNull();

		HttpApi.Reply set = admin(
				this.api.request("PUT", "/admin/tenants/" + tenant.id() + "/retention", "{\"days\":30}")
					.header("Content-Type", "application/json"))
			.send();
		assertThat(set.status()).as(set.toString()).isEqualTo(200);
		assertThat(set.json().get("days").asInt()).isEqualTo(30);
		assertThat(set.json().get("keep_forever").asBoolean()).isFalse();
		double purgedBefore = this.meters.counter("rvfeed.lifecycle.retention.sessions.purged").count();

		// a purge in small batches while a writer adds sessions and a checker compares
		// counts
		AtomicBoolean purging = new AtomicBoolean(true);
		AtomicInteger checks = new AtomicInteger();
		List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			Future<?> writer = threads.submit(() -> {
				int i = 0;
				while (purging.get() && i < 200) {
					UUID id = write.createSession(UUID.randomUUID(), Instant.now().toString());
					write.event(id, "ACTIVE", Instant.now().toString());
					i++;
				}
			});
			Future<?> checker = threads.submit(() -> {
				while (purging.get()) {
					check(jdbc, tenant.id(), problems);
					checks.incrementAndGet();
				}
			});
			List<RetentionPurge.Purged> runs = this.purge.purgeAll(7);
			purging.set(false);
			writer.get();
			checker.get();
			RetentionPurge.Purged mine = runs.stream()
				.filter((run) -> run.tenantId().equals(tenant.id()))
				.findFirst()
				.orElseThrow();
			assertThat(mine.sessions()).isEqualTo(expired.size());
			assertThat(mine.events()).isEqualTo(expired.size() * 3L);
		}
		finally {
			purging.set(false);
			threads.shutdownNow();
		}
		assertThat(checks.get()).as("consistency checks during the purge").isPositive();
		assertThat(problems).isEmpty();
		check(jdbc, tenant.id(), problems);
		assertThat(problems).isEmpty();

		// exactly the expired sessions are gone, with their events; nothing of the other
		// tenant
		assertThat(count(jdbc, "select count(*) from rv_session where tenant_id = ? and session_id = any(?)",
				tenant.id(), expired))
			.isZero();
		assertThat(count(jdbc, "select count(*) from rv_session_event where tenant_id = ? and session_id = any(?)",
				tenant.id(), expired))
			.isZero();
		assertThat(count(jdbc, "select count(*) from rv_session where tenant_id = ? and session_id = any(?)",
				tenant.id(), renewed))
			.isEqualTo(renewed.size());
		assertThat(count(jdbc, "select count(*) from rv_session where tenant_id = ? and session_id = any(?)",
				tenant.id(), recent))
			.isEqualTo(recent.size());
		assertThat(count(jdbc,
				"select count(*) from rv_session where tenant_id = ? and updated_at < now() - interval '30 days'",
				tenant.id(), null))
			.isZero();
		assertThat(count(jdbc, "select count(*) from rv_session where tenant_id = ?", other.id(), null)).isEqualTo(8);
		assertThat(this.meters.counter("rvfeed.lifecycle.retention.sessions.purged").count() - purgedBefore)
			.isGreaterThanOrEqualTo(expired.size());

		// the feed's count is exact; X-Data-Since on feed, changes and events; old
		// cursors are gone
		HttpApi.Reply feed = this.api.get(FEED).key(tenant.key()).send();
		assertThat(feed.json().get("content").get("count").asLong())
			.isEqualTo(count(jdbc, "select count(*) from rv_session where tenant_id = ?", tenant.id(), null));
		String since = feed.header("X-Data-Since");
		assertThat(since).isNotNull();
		assertThat(Instant.parse(since)).isBetween(Instant.now().minus(31, ChronoUnit.DAYS),
				Instant.now().minus(29, ChronoUnit.DAYS));
		assertThat(this.api.get(CHANGES).key(tenant.key()).send().header("X-Data-Since")).isEqualTo(since);
		assertThat(this.api.get(EVENTS).key(tenant.key()).send().header("X-Data-Since")).isEqualTo(since);
		assertThat(this.api.get(FEED).key(other.key()).send().header("X-Data-Since")).isNull();
		assertStandardError(this.api.get(EVENTS + "?cursor=" + oldEventCursor).key(tenant.key()).send(), 410);
		assertStandardError(this.api.get(CHANGES + "?cursor=" + oldChangeCursor).key(tenant.key()).send(), 410);
		// reading from the start still works, and holds only what is kept
		HttpApi.Reply events = this.api.get(EVENTS + "?limit=500").key(tenant.key()).send();
		assertThat(events.status()).isEqualTo(200);
		events.json()
			.get("content")
			.get("results")
			.forEach(
					(event) -> assertThat(expired).doesNotContain(UUID.fromString(event.get("session_id").asString())));

		JsonNode retention = admin(this.api.get("/admin/tenants/" + tenant.id() + "/retention")).send().json();
		assertThat(retention.get("data_since").asString()).isEqualTo(since);
		JsonNode audit = admin(this.api.get("/admin/audit?action=tenant.retention_set&tenant_id=" + tenant.id())).send()
			.json();
		assertThat(audit.get("results").get(0).get("detail").get("days").asInt()).isEqualTo(30);
		JsonNode purged = admin(this.api.get("/admin/audit?action=tenant.retention_purged&tenant_id=" + tenant.id()))
			.send()
			.json()
			.get("results")
			.get(0);
		assertThat(purged.get("actor").asString()).isEqualTo("system:retention");
		assertThat(purged.get("detail").get("sessions").asLong()).isEqualTo(expired.size());
	}

	@Test
	void retentionIsSetPerTenantAndCheckedOnInput() {
		TestTenant tenant = this.tenants.create();
		JsonNode initial = admin(this.api.get("/admin/tenants/" + tenant.id() + "/retention")).send().json();
		assertThat(initial.get("keep_forever").asBoolean()).isTrue();
		assertThat(initial.get("days").isNull()).isTrue();
		for (String bad : List.of("{}", "{\"days\":0}", "{\"days\":36501}", "{\"days\":30,\"keep_forever\":true}",
				"{\"keep_forever\":false}", "{\"days\":\"thirty\"}", "{\"months\":1}")) {
			assertStandardError(put(tenant.id(), bad), 400);
		}
		assertStandardError(put(UUID.randomUUID(), "{\"days\":30}"), 404);
		assertThat(put(tenant.id(), "{\"days\":7}").json().get("days").asInt()).isEqualTo(7);
		HttpApi.Reply forever = put(tenant.id(), "{\"keep_forever\":true}");
		assertThat(forever.status()).isEqualTo(200);
		assertThat(forever.json().get("keep_forever").asBoolean()).isTrue();
	}

	private HttpApi.Reply put(UUID tenantId, String body) {
		return admin(this.api.request("PUT", "/admin/tenants/" + tenantId + "/retention", body)
			.header("Content-Type", "application/json")).send();
	}

	static void check(JdbcTemplate jdbc, UUID tenantId, List<String> problems) {
		jdbc.query(CONSISTENCY, (row) -> {
			long kept = row.getLong("kept");
			long actual = row.getLong("actual");
			long mismatches = row.getLong("facet_mismatches");
			long joint = row.getLong("joint_mismatches");
			if (kept != actual || mismatches != 0 || joint != 0) {
				problems.add("kept " + kept + ", count(*) " + actual + ", facet mismatches " + mismatches
						+ ", joint count mismatches " + joint);
			}
		}, tenantId, tenantId, tenantId, tenantId, tenantId, tenantId, tenantId, tenantId, tenantId);
	}

	private static long count(JdbcTemplate jdbc, String sql, UUID tenantId, List<UUID> ids) {
		Long n = (ids == null) ? jdbc.queryForObject(sql, Long.class, tenantId)
				: jdbc.queryForObject(sql, Long.class, tenantId, ids.toArray(UUID[]::new));
		return (n != null) ? n : 0;
	}

	/**
	 * Sessions created at {@code at}, ACTIVE and TERMINATED a minute later (3 events
	 * each).
	 */
	private static List<UUID> sessions(WriteApi write, int n, Instant at, String label) {
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			UUID id = write.createSession(UUID.randomUUID(), at.toString());
			assertThat(write.event(id, "ACTIVE", at.plusSeconds(10).toString()).status()).isEqualTo(201);
			assertThat(write
				.event(id,
						"{\"state\":\"TERMINATED\",\"reason\":\"" + label + "\",\"occurred_at\":\"" + at.plusSeconds(60)
								+ "\"}")
				.status()).isEqualTo(201);
			ids.add(id);
		}
		return ids;
	}

	static HttpApi.Call admin(HttpApi.Call call) {
		return call.key(IntegrationTest.ADMIN_TOKEN);
	}

}
