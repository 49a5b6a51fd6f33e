package io.rvfeed.lifecycle;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.auth.Scope;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.StatisticsDeltas;
import io.rvfeed.support.TestTenants.TestTenant;
import io.rvfeed.support.WriteApi;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

class ErasureIT extends ServiceTest {

	static final String FEED = "/api/v2/rv-activity-feed/";

	static final String PERSON = "alice@acme.example";

	@Autowired
	DataSource dataSource;

	@Test
	void erasureLeavesTheValueInNoColumnOfTheTenantAndTheFilterNoLongerFindsIt() throws InterruptedException {
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		TestTenant tenant = this.tenants.create();
		TestTenant other = this.tenants.create();
		this.tenants.addKey(tenant.id(), "Alice@Acme.Example laptop key", EnumSet.of(Scope.FEED_READ));
		WriteApi write = write(tenant);
		List<UUID> hers = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			hers.add(session(write, "Alice@Acme.example", "ALICE@acme.example", "Ended by alice@ACME.example.",
					(i < 2) ? "Alice@acme.example iPad" : "Kiosk"));
		}
		for (int i = 0; i < 4; i++) {
			session(write, "bob@acme.example", "bob@acme.example", "Ended by bob");
		}
		// she ended one of Bob's sessions
		UUID mixed = session(write, "bob@acme.example", PERSON, "Ended by " + PERSON);
		session(write(other), PERSON, PERSON, "Ended by " + PERSON);
		assertThat(filterCount(tenant, PERSON)).isEqualTo(6);
		assertThat(occurrences(jdbc, tenant.id(), PERSON)).isNotEmpty();
		// as in most erasures, long after the writes: the statistics hold her values in
		// their cells, the erasure's own changes are the only deltas
		awaitStatisticsFolded(jdbc, tenant.id());

		HttpApi.Reply erased = admin(
				this.api.post("/admin/tenants/" + tenant.id() + "/erasure", "{\"value\":\"ALICE@Acme.Example\"}"))
			.header("X-Caller-Id", "dpo@ops.example")
			.send();
		assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
		String pseudonym = erased.json().get("pseudonym").asString();
		assertThat(pseudonym).matches("erased-[0-9a-f]{16}");
		// 6 + 1 sessions, their events that name her (3 per session of hers: created,
		// ACTIVE, TERMINATED;
		// 1 for the mixed one), the key
		JsonNode byTable = erased.json().get("by_table");
		assertThat(byTable.get("rv_session").asLong()).isEqualTo(7);
		assertThat(byTable.get("rv_session_event").asLong()).isEqualTo(6 * 3 + 1);
		assertThat(byTable.get("api_key").asLong()).isEqualTo(1);
		assertThat(erased.json().get("records_changed").asLong()).as(erased.body()).isEqualTo(7 + 19 + 1);

		// over the catalogue: no column of any table of the tenant holds the value
		assertThat(occurrences(jdbc, tenant.id(), PERSON)).isEmpty();
		// the other tenant is untouched
		assertThat(occurrences(jdbc, other.id(), PERSON)).isNotEmpty();
		// the feed's created_by filter no longer finds her; the pseudonym finds her
		// sessions
		assertThat(filterCount(tenant, PERSON)).isZero();
		assertThat(filterCount(tenant, pseudonym)).isEqualTo(6);
		JsonNode row = write.feedRow(mixed);
		assertThat(row.get("updated_by").asString()).isEqualTo(pseudonym);
		assertThat(row.get("reason").asString()).isEqualTo("Ended by " + pseudonym);
		assertThat(write.feedRow(hers.get(0)).get("reason").asString()).isEqualTo("Ended by " + pseudonym + ".");
		// counts and facets stay exact
		List<String> problems = new ArrayList<>();
		RetentionIT.check(jdbc, tenant.id(), problems);
		assertThat(problems).isEmpty();
		// so do the statistics by value (V51) and the device counts (V52), under the
		// pseudonym
		assertValueCountsMatchRows(jdbc, tenant.id());
		assertDeviceCountsMatchRows(jdbc, tenant.id());
		assertThat(jdbc.queryForObject(
				"select n from rv_stats_device_count where tenant_id = ? and kind = 'n' and value = ? and state = ''",
				Long.class, tenant.id(), pseudonym + " iPad"))
			.isEqualTo(2);

		// stable, and nothing left to change
		HttpApi.Reply again = admin(
				this.api.post("/admin/tenants/" + tenant.id() + "/erasure", "{\"value\":\"alice@acme.example\"}"))
			.send();
		assertThat(again.json().get("pseudonym").asString()).isEqualTo(pseudonym);
		assertThat(again.json().get("records_changed").asLong()).isZero();

		// audited, with the pseudonym and never the value
		HttpApi.Reply audit = admin(this.api.get("/admin/audit?action=tenant.erasure&tenant_id=" + tenant.id())).send();
		assertThat(audit.json().get("results")).hasSize(2);
		assertThat(audit.body()).contains(pseudonym).doesNotContainIgnoringCase(PERSON);
	}

	@Test
	void onlyWholeTokensAreReplaced() {
		TestTenant tenant = this.tenants.create();
		WriteApi write = write(tenant);
		UUID hers = session(write, PERSON, PERSON, "Ended by " + PERSON);
		UUID someoneElse = session(write, "m" + PERSON, "m" + PERSON, "Ended by m" + PERSON);
		HttpApi.Reply erased = admin(
				this.api.post("/admin/tenants/" + tenant.id() + "/erasure", "{\"value\":\"" + PERSON + "\"}"))
			.send();
		assertThat(erased.json().get("by_table").get("rv_session").asLong()).isEqualTo(1);
		assertThat(write.feedRow(someoneElse).get("created_by").asString()).isEqualTo("m" + PERSON);
		assertThat(write.feedRow(someoneElse).get("reason").asString()).isEqualTo("Ended by m" + PERSON);
		assertThat(write.feedRow(hers).get("created_by").asString()).startsWith("erased-");
	}

	@Test
	void badValuesAre400AndUnknownTenants404() {
		TestTenant tenant = this.tenants.create();
		for (String body : List.of("{}", "{\"value\":\"ab\"}", "{\"value\":\"a\\\"b\\\"c\"}", "{\"value\":\"x\\\\yz\"}",
				"{\"value\":\"" + "x".repeat(256) + "\"}", "{\"value\":42}", "{\"other\":\"alice\"}")) {
			assertStandardError(admin(this.api.post("/admin/tenants/" + tenant.id() + "/erasure", body)).send(), 400);
		}
		assertStandardError(
				admin(this.api.post("/admin/tenants/" + UUID.randomUUID() + "/erasure", "{\"value\":\"alice\"}"))
					.send(),
				404);
	}

	/** Waits (10 s at most) until the compactor has folded the tenant's deltas. */
	static void awaitStatisticsFolded(JdbcTemplate jdbc, UUID tenantId) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		long left;
		while ((left = StatisticsDeltas.left(jdbc, tenantId)) > 0 && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(left).as("statistics deltas not folded after 10 s").isZero();
	}

	/**
	 * The statistics by reason and console user (V51), their cells and the deltas not
	 * folded yet added up, count the rows.
	 */
	static void assertValueCountsMatchRows(JdbcTemplate jdbc, UUID tenantId) {
		assertThat(jdbc.queryForList("""
				select kind, value, state, video_quality, sum(n)::bigint as n from (
				    select kind::text as kind, value, state, video_quality, n from rv_stats_value_cell
				    where tenant_id = ?
				    union all
				    select 'r', reason_value, state, video_quality, n from rv_stats_value_delta
				    where tenant_id = ? and reason_value is not null
				    union all
				    select 'c', created_by_value, state, video_quality, n from rv_stats_value_delta
				    where tenant_id = ? and created_by_value is not null) parts
				group by 1, 2, 3, 4 having sum(n) <> 0 order by 1, 2, 3, 4""", tenantId, tenantId, tenantId))
			.isEqualTo(jdbc.queryForList("""
					select k.kind, k.value, r.state, r.video_quality, count(*) as n from rv_session r
					cross join lateral (values ('r', coalesce('=' || r.reason, '')),
					    ('c', coalesce('=' || r.created_by, ''))) k (kind, value)
					where r.tenant_id = ? group by 1, 2, 3, 4 order by 1, 2, 3, 4""", tenantId));
	}

	/**
	 * No device delta of the tenant is left (an erasure folds them), the device counts
	 * (V52, of the final states and all states, V58) agree with the rows and the group
	 * counts with the counts.
	 */
	static void assertDeviceCountsMatchRows(JdbcTemplate jdbc, UUID tenantId) {
		assertThat(jdbc.queryForObject("select count(*) from rv_stats_device_delta where tenant_id = ?", Long.class,
				tenantId))
			.isZero();
		assertThat(jdbc.queryForList("""
				select kind::text, value, state, n from rv_stats_device_count
				where tenant_id = ? and n <> 0 order by 1, 2, 3""", tenantId)).isEqualTo(jdbc.queryForList("""
				select k.kind, k.value, k.state, count(*) as n from rv_session r
				cross join lateral (values ('n', r.device_name, r.state), ('n', r.device_name, ''),
				    ('i', r.device_id::text, r.state), ('i', r.device_id::text, '')) k (kind, value, state)
				where r.tenant_id = ? and k.state not in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE')
				group by 1, 2, 3 order by 1, 2, 3""", tenantId));
		assertThat(jdbc.queryForList(
				"select kind::text, state, groups from rv_stats_device_groups where tenant_id = ? and groups <> 0"
						+ " order by 1, 2",
				tenantId))
			.isEqualTo(jdbc.queryForList("""
					select kind::text, state, count(*) as groups from rv_stats_device_count
					where tenant_id = ? and n > 0 group by 1, 2 order by 1, 2""", tenantId));
	}

	private UUID session(WriteApi write, String createdBy, String updatedBy, String reason) {
		return session(write, createdBy, updatedBy, reason, "Kiosk");
	}

	private UUID session(WriteApi write, String createdBy, String updatedBy, String reason, String deviceName) {
		UUID id = UUID.randomUUID();
		HttpApi.Reply created = write
			.create("{\"session_id\":\"" + id + "\",\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\""
					+ deviceName + "\",\"created_at\":\"2026-11-01T10:00:00Z\",\"created_by\":\"" + createdBy + "\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(write
			.event(id,
					"{\"state\":\"ACTIVE\",\"occurred_at\":\"2026-11-01T10:00:10Z\",\"updated_by\":\"" + createdBy
							+ "\"}")
			.status()).isEqualTo(201);
		assertThat(write
			.event(id,
					"{\"state\":\"TERMINATED\",\"occurred_at\":\"2026-11-01T10:05:00Z\",\"updated_by\":\"" + updatedBy
							+ "\",\"reason\":\"" + reason + "\"}")
			.status()).isEqualTo(201);
		return id;
	}

	private long filterCount(TestTenant tenant, String createdBy) {
		HttpApi.Reply reply = this.api.get(FEED + "?created_by=" + createdBy).key(tenant.key()).send();
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		return reply.json().get("content").get("count").asLong();
	}

	/**
	 * Every column of every table with a tenant_id column holding the value, with its
	 * count.
	 */
	static Map<String, Long> occurrences(JdbcTemplate jdbc, UUID tenantId, String value) {
		List<Map<String, Object>> columns = jdbc.queryForList("""
				select c.table_name, c.column_name from information_schema.columns c
				join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
				where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
				  and exists (select 1 from information_schema.columns k where k.table_schema = c.table_schema
				              and k.table_name = c.table_name and k.column_name = 'tenant_id')
				""");
		assertThat(columns).hasSizeGreaterThan(20);
		Map<String, Long> found = new java.util.TreeMap<>();
		for (Map<String, Object> column : columns) {
			String table = (String) column.get("table_name");
			String name = (String) column.get("column_name");
			Long n = jdbc.queryForObject(
					"select count(*) from \"" + table + "\" where tenant_id = ? and \"" + name + "\"::text ilike ?",
					Long.class, tenantId, "%" + value + "%");
			if (n != null && n > 0) {
				found.put(table + "." + name, n);
			}
		}
		return found;
	}

	static HttpApi.Call admin(HttpApi.Call call) {
		return call.key(IntegrationTest.ADMIN_TOKEN);
	}

}
