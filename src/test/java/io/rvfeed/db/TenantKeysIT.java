package io.rvfeed.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TenantKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema is ready to be distributed by tenant (docs/scaling.md): every table other
 * than the tenant list has {@code tenant_id} leading its primary key and in every unique
 * key and foreign key, read from the catalogue of the migrated database, so a table a
 * later migration adds is checked too.
 */
class TenantKeysIT extends ServiceTest {

	/**
	 * What may differ, and why. A table named here is left out; {@code table.key} leaves
	 * out one key. Each must still be needed ({@link #everyExceptionIsStillNeeded}).
	 */
	static final Map<String, String> EXCEPTIONS = Map.of(
			// the server's key hash secret, as a fingerprint: one row, no tenant's data
			"api_key_hash_secret", "server configuration; a reference table under Citus",
			// a bearer key is looked up by its hash before its tenant is known, and must
			// name
			// exactly one tenant; api_key becomes a reference table (on every node),
			// where a
			// key over all tenants is allowed
			"api_key.api_key_hash_unique", "keys are found by hash across tenants; api_key is a reference table",
			// append-only deltas, folded by (tenant_id, ...) and deleted by the
			// compactor; no
			// row is ever addressed alone. Citus distributes a table without a primary
			// key.
			"rv_session_count_delta.primary key", "append-only deltas, never addressed by row",
			"rv_session_facet_delta.primary key", "append-only deltas, never addressed by row",
			"rv_session_joint_delta.primary key", "append-only deltas, never addressed by row",
			"rv_stats_delta.primary key", "append-only deltas, folded in batches, never addressed by key",
			"rv_stats_value_delta.primary key", "append-only deltas, folded in batches, never addressed by key",
			"rv_stats_device_delta.primary key", "append-only deltas, folded in batches, never addressed by key",
			// the operator's records: they name the tenant they concern in target_tenant,
			// not
			// tenant_id, so that they outlive the tenant's deletion; reference tables
			"admin_audit", "the operator's audit log; outlives the tenants it names", "lifecycle_job",
			"the operator's deletion jobs; outlive the tenants they delete");

	@Autowired
	DataSource dataSource;

	@Test
	void everyTenantTableLeadsWithTenantIdInEveryKey() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			Map<String, TenantKeys.Table> tables = TenantKeys.read(connection, schema(connection));
			assertThat(tables).containsKeys("tenant", "api_key", "rv_session", "rv_session_event");
			assertThat(TenantKeys.problems(tables, EXCEPTIONS)).isEmpty();
		}
	}

	@Test
	void everyExceptionIsStillNeeded() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			Map<String, TenantKeys.Table> tables = TenantKeys.read(connection, schema(connection));
			List<String> problems = TenantKeys.problems(tables, Map.of());
			for (String exception : EXCEPTIONS.keySet()) {
				String table = exception.contains(".") ? exception.substring(0, exception.indexOf('.')) : exception;
				String key = exception.contains(".") ? exception.substring(exception.indexOf('.') + 1) : null;
				assertThat(problems).as(exception)
					.anySatisfy((problem) -> assertThat(problem).startsWith(table)
						.contains(key == null ? "" : key.equals("primary key") ? "has no primary key" : key));
			}
		}
	}

	/**
	 * The check itself, over a schema of bad tables made and dropped in one transaction.
	 */
	@Test
	void theCheckNamesEveryKindOfMistake() throws SQLException {
		String schema = "tenant_keys_probe_" + UUID.randomUUID().toString().replace("-", "");
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("create schema " + schema + "; set local search_path = " + schema);
				statement.execute(
						"""
								create table tenant (tenant_id uuid primary key);
								create table good (tenant_id uuid references tenant, id uuid, code text,
								                   primary key (tenant_id, id), unique (tenant_id, code));
								create table no_tenant (id uuid primary key);
								create table pk_late (id uuid, tenant_id uuid, primary key (id, tenant_id));
								create table no_pk (tenant_id uuid, n int);
								create table global_unique (tenant_id uuid, id uuid, code text, primary key (tenant_id, id),
								                            constraint global_code unique (code));
								create table global_index (tenant_id uuid, id uuid, code text, primary key (tenant_id, id));
								create unique index global_code_index on global_index (code);
								create table child (tenant_id uuid, id uuid, good_tenant uuid, good_id uuid, primary key (tenant_id, id),
								                    constraint child_good foreign key (good_tenant, good_id) references good (tenant_id, id));
								create table child_ok (tenant_id uuid, id uuid, good_id uuid, primary key (tenant_id, id),
								                       foreign key (tenant_id, good_id) references good (tenant_id, id));
								create table child_ok_too (tenant_id uuid, id uuid, good_id uuid, primary key (tenant_id, id),
								                           foreign key (good_id, tenant_id) references good (id, tenant_id));""");
				Map<String, TenantKeys.Table> tables = TenantKeys.read(connection, schema);
				List<String> problems = new ArrayList<>(TenantKeys.problems(tables, Map.of()));
				assertThat(problems).containsExactlyInAnyOrder("no_tenant has no tenant_id column",
						"pk_late's primary key [id, tenant_id] does not start with tenant_id",
						"no_pk has no primary key", "global_unique's unique key global_code [code] lacks tenant_id",
						"global_index's unique key global_code_index [code] lacks tenant_id",
						"child's foreign key child_good [good_tenant, good_id] -> good [tenant_id, id] "
								+ "does not carry tenant_id to tenant_id");
				assertThat(TenantKeys.problems(tables, Map.of("no_tenant", "", "pk_late", "", "no_pk.primary key", "",
						"global_unique.global_code", "", "global_index.global_code_index", "", "child.child_good", "")))
					.isEmpty();
				assertThat(TenantKeys.tenantTables(tables)).doesNotContain("tenant", "no_tenant")
					.contains("good", "child");
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
		}
	}

	private static String schema(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select current_schema()")) {
			rows.next();
			return rows.getString(1);
		}
	}

}
