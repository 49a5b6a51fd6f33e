package io.rvfeed.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.auth.Scope;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;
import io.rvfeed.support.WriteApi;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

class TenantDeletionIT extends ServiceTest {

	static final String FEED = "/api/v2/rv-activity-feed/";

	@Autowired
	DataSource dataSource;

	@Test
	void deletionRevokesKeysAtOnceAndLeavesNoRowOfTheTenantInAnyTable() throws Exception {
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		// a table a later feature adds: covered because it has a tenant_id column
		jdbc.execute("create table if not exists lifecycle_it_future_table (tenant_id uuid not null, note text)");
		try {
			TestTenant doomed = this.tenants.create();
			String secondKey = this.tenants.addKey(doomed.id(), "reader", java.util.EnumSet.of(Scope.FEED_READ));
			TestTenant other = this.tenants.create();
			fill(doomed, 30);
			fill(other, 7);
			jdbc.update("insert into lifecycle_it_future_table values (?, 'x')", doomed.id());
			jdbc.update("insert into lifecycle_it_future_table values (?, 'y')", other.id());
			assertThat(rowsOf(jdbc, doomed.id())).containsKeys("rv_session", "rv_session_event", "api_key", "tenant",
					"lifecycle_it_future_table");

			HttpApi.Reply accepted = admin(this.api.request("DELETE", "/admin/tenants/" + doomed.id(), ""))
				.header("X-Caller-Id", "dpo@ops.example")
				.send();
			assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
			String jobId = accepted.json().get("job_id").asString();
			assertThat(accepted.header("Location")).isEqualTo("/admin/jobs/" + jobId);
			assertThat(accepted.json().get("tenant_id").asString()).isEqualTo(doomed.id().toString());
			// the keys fail at once, whatever the job has done yet
			assertStandardError(this.api.get(FEED).key(doomed.key()).send(), 401);
			assertStandardError(this.api.get(FEED).key(secondKey).send(), 401);
			// the tenant counts as gone for the admin API
			assertThat(admin(this.api.get("/admin/tenants")).send().body()).doesNotContain(doomed.id().toString());
			assertStandardError(admin(this.api.post("/admin/tenants/" + doomed.id() + "/keys",
					"{\"name\":\"late\",\"scopes\":[\"feed:read\"]}"))
				.send(), 404);

			JsonNode done = awaitDone(jobId);
			assertThat(done.get("rows_deleted").asLong()).isGreaterThanOrEqualTo(30 + 30 * 3 + 3);
			assertThat(done.get("finished_at").isNull()).isFalse();

			// over the catalogue: no table holds a row of the tenant
			assertThat(rowsOf(jdbc, doomed.id())).isEmpty();
			// the other tenant is whole
			Map<String, Long> others = rowsOf(jdbc, other.id());
			assertThat(others).containsEntry("rv_session", 7L).containsEntry("lifecycle_it_future_table", 1L);
			HttpApi.Reply otherFeed = this.api.get(FEED).key(other.key()).send();
			assertThat(otherFeed.json().get("content").get("count").asLong()).isEqualTo(7);

			// idempotent: the same job again
			HttpApi.Reply again = admin(this.api.request("DELETE", "/admin/tenants/" + doomed.id(), "")).send();
			assertThat(again.status()).isEqualTo(202);
			assertThat(again.json().get("job_id").asString()).isEqualTo(jobId);
			assertThat(again.json().get("state").asString()).isEqualTo("done");

			JsonNode audit = admin(this.api.get("/admin/audit?tenant_id=" + doomed.id())).send().json();
			List<String> actions = audit.get("results")
				.valueStream()
				.map((entry) -> entry.get("action").asString() + "/" + entry.get("actor").asString())
				.toList();
			assertThat(actions).contains("tenant.deletion_requested/admin-token",
					"tenant.deleted/system:tenant-deletion");
		}
		finally {
			jdbc.execute("drop table if exists lifecycle_it_future_table");
		}
	}

	@Test
	void unknownTenantsAndJobsAre404() {
		assertStandardError(admin(this.api.request("DELETE", "/admin/tenants/" + UUID.randomUUID(), "")).send(), 404);
		assertStandardError(admin(this.api.get("/admin/jobs/" + UUID.randomUUID())).send(), 404);
		assertStandardError(admin(this.api.get("/admin/jobs/not-a-uuid")).send(), 400);
		assertStandardError(this.api.request("DELETE", "/admin/tenants/" + UUID.randomUUID(), "").send(), 401);
	}

	private void fill(TestTenant tenant, int sessions) {
		WriteApi write = write(tenant);
		for (int i = 0; i < sessions; i++) {
			UUID id = write.createSession(UUID.randomUUID(), "2026-01-0" + (1 + i % 9) + "T10:00:00Z");
			assertThat(write.event(id, "ACTIVE", "2026-01-10T10:00:00Z").status()).isEqualTo(201);
			assertThat(write.event(id, "TERMINATED", "2026-01-10T10:05:00Z").status()).isEqualTo(201);
		}
	}

	/**
	 * The tenant's rows per table, over every table with a tenant_id column; only
	 * non-zero.
	 */
	static Map<String, Long> rowsOf(JdbcTemplate jdbc, UUID tenantId) {
		List<String> tables = jdbc.queryForList("""
				select c.table_name from information_schema.columns c
				join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
				where c.table_schema = current_schema() and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
				""", String.class);
		assertThat(tables).contains("tenant", "api_key", "rv_session", "rv_session_event", "rv_session_count",
				"rv_session_facet_count");
		Map<String, Long> counts = new java.util.TreeMap<>();
		for (String table : tables) {
			Long n = jdbc.queryForObject("select count(*) from \"" + table + "\" where tenant_id = ?", Long.class,
					tenantId);
			if (n != null && n > 0) {
				counts.put(table, n);
			}
		}
		return counts;
	}

	private JsonNode awaitDone(String jobId) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (true) {
			HttpApi.Reply job = admin(this.api.get("/admin/jobs/" + jobId)).send();
			assertThat(job.status()).as(job.toString()).isEqualTo(200);
			if ("done".equals(job.json().get("state").asString())) {
				return job.json();
			}
			assertThat(Instant.now()).as("job " + jobId + " done in time: " + job.body()).isBefore(deadline);
			Thread.sleep(200);
		}
	}

	static HttpApi.Call admin(HttpApi.Call call) {
		return call.key(IntegrationTest.ADMIN_TOKEN);
	}

}
