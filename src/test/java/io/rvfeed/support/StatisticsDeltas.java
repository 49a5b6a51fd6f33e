package io.rvfeed.support;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/** The statistics deltas (V50-V54) of a tenant that the compactor has not folded yet. */
public final class StatisticsDeltas {

	private StatisticsDeltas() {
	}

	public static long left(JdbcTemplate jdbc, UUID tenantId) {
		return jdbc.queryForObject("""
				select (select count(*) from rv_stats_delta where tenant_id = ?)
				     + (select count(*) from rv_stats_value_delta where tenant_id = ?)
				     + (select count(*) from rv_stats_device_delta where tenant_id = ?)""", Long.class, tenantId,
				tenantId, tenantId);
	}

}
