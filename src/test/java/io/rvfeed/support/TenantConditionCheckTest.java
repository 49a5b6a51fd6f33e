package io.rvfeed.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link TenantConditionCheck} counts as a tenant condition. */
class TenantConditionCheckTest {

	private static final String TENANT = "'0b1e5c1a-7e57-4c1a-9a55-000000000001'";

	@Test
	void statementsWithATenantConditionPass() {
		assertThat(TenantConditionCheck.problem("select * from rv_session where tenant_id = ?")).isNull();
		assertThat(TenantConditionCheck.problem("select * from \"rv_session\" where \"rv_session\".\"tenant_id\" = "
				+ TENANT + "::uuid and state = 'ACTIVE'"))
			.isNull();
		assertThat(TenantConditionCheck
			.problem("select e.* from rv_session_event e join rv_session s on s.tenant_id = e.tenant_id "
					+ "and s.session_id = e.session_id where (e.tenant_id = cast(? as uuid))"))
			.isNull();
		assertThat(TenantConditionCheck.problem("delete from rv_session_count_delta where tenant_id in (?, ?)"))
			.isNull();
		assertThat(TenantConditionCheck
			.problem("insert into \"rv_session\" (\"tenant_id\", \"session_id\") values (?, ?) on conflict do nothing"))
			.isNull();
	}

	@Test
	void statementsWithoutOneFail() {
		assertThat(TenantConditionCheck.problem("select count(*) from rv_session where state = 'ACTIVE'"))
			.isEqualTo("touches rv_session without a tenant condition");
		// a join on tenant_id is not a tenant condition
		assertThat(TenantConditionCheck.problem(
				"select * from rv_session_event e join rv_session s on s.tenant_id = e.tenant_id where e.state = ?"))
			.isNotNull();
		assertThat(TenantConditionCheck.problem("update rv_session set reason = null where session_id = ?"))
			.isNotNull();
		assertThat(TenantConditionCheck.problem("delete from \"rv_session_facet_delta\"")).isNotNull();
		// a tenant id in a comment or text is no condition
		assertThat(TenantConditionCheck
			.problem("select * from rv_session /* tenant_id = " + TENANT + " */ where reason = 'tenant_id = ?'"))
			.isNotNull();
	}

	@Test
	void otherTablesAndSchemaChangesAreLeftAlone() {
		assertThat(TenantConditionCheck.problem("select * from tenant")).isNull();
		assertThat(TenantConditionCheck.problem("select * from api_key where key_hash = ?")).isNull();
		assertThat(TenantConditionCheck.problem("select rv_session_facets(?, ?, ?, ?, ?, ?)")).isNull();
		assertThat(TenantConditionCheck.problem("create index x on rv_session (tenant_id, state)")).isNull();
		assertThat(TenantConditionCheck.problem("select * from rv_session_counts_view")).isNull();
	}

}
