package io.rvfeed.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TenantConditionCheck;
import io.rvfeed.support.TenantKeys;
import io.rvfeed.support.TestTenants.TestTenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tenant-condition hook ({@link TenantConditionCheck}) is active in the integration
 * suite's service, knows every table that holds tenant data, and refuses a statement that
 * reads them without a tenant condition.
 */
class TenantConditionCheckIT extends ServiceTest {

	@Autowired
	DataSource dataSource;

	@Test
	void theHookKnowsEveryTenantTableOfTheCatalogue() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			Map<String, TenantKeys.Table> tables = TenantKeys.read(connection, connection.getSchema());
			Set<String> tenantTables = new TreeSet<>(TenantKeys.tenantTables(tables));
			// the key table is a reference table: keys are found by hash, over all
			// tenants
			tenantTables.remove("api_key");
			// one small settings row per tenant, read over all tenants by the retention
			// scheduler: a reference table too
			tenantTables.remove("tenant_retention");
			assertThat(new TreeSet<>(TenantConditionCheck.DISTRIBUTED)).isEqualTo(tenantTables);
		}
	}

	/**
	 * Sent by the service's own code (the check leaves the tests' own statements alone),
	 * so through a class of the main sources: the pool hands out checked connections.
	 */
	@Test
	void theServicesPoolRefusesAStatementWithoutATenantCondition() throws Exception {
		TestTenant tenant = this.tenants.create();
		String unchecked = "select count(*) from rv_session where state = 'ACTIVE'";
		try (Connection connection = this.dataSource.getConnection()) {
			assertThatThrownBy(
					() -> TenantConditionCheck.checkingTestCode(() -> connection.prepareStatement(unchecked)))
				.isInstanceOf(SQLException.class)
				.hasMessageContaining("touches rv_session without a tenant condition");
			assertThatThrownBy(() -> TenantConditionCheck
				.checkingTestCode(() -> connection.createStatement().executeQuery(unchecked)))
				.isInstanceOf(SQLException.class);
			long count = TenantConditionCheck.checkingTestCode(() -> {
				try (PreparedStatement statement = connection
					.prepareStatement("select count(*) from rv_session where tenant_id = ?")) {
					statement.setObject(1, tenant.id());
					try (ResultSet rows = statement.executeQuery()) {
						rows.next();
						return rows.getLong(1);
					}
				}
			});
			assertThat(count).isZero();
			// the tests' own statements are left alone
			try (ResultSet rows = connection.createStatement().executeQuery(unchecked)) {
				assertThat(rows.next()).isTrue();
			}
		}
		assertThat(TenantConditionCheck.violations()).anySatisfy((line) -> assertThat(line).contains(unchecked));
	}

	/** The service's requests have sent no statement the check refused. */
	@Test
	void theServiceSentNoStatementWithoutATenantCondition() {
		TestTenant tenant = this.tenants.create();
		long before = TenantConditionCheck.checked();
		write(tenant).createSession(java.util.UUID.randomUUID(), "2026-01-01T00:00:00Z");
		assertThat(this.api.ids(tenant, "")).hasSize(1);
		// the service's statements went through the check
		assertThat(TenantConditionCheck.checked()).isGreaterThanOrEqualTo(before + 2);
		assertThat(TenantConditionCheck.violations())
			.allSatisfy((line) -> assertThat(line).contains("TenantConditionCheckIT"));
	}

}
