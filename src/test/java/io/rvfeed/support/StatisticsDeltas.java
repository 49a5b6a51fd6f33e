package io.rvfeed.support;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/** The deltas that the compactors have not folded yet. */
public final class StatisticsDeltas {

	private StatisticsDeltas() {
	}

	/** The tenant's statistics deltas (V50-V54). */
	public static long left(JdbcTemplate jdbc, UUID tenantId) {
		return jdbc.queryForObject("""
				select (select count(*) from rv_stats_delta where tenant_id = ?)
				     + (select count(*) from rv_stats_value_delta where tenant_id = ?)
				     + (select count(*) from rv_stats_device_delta where tenant_id = ?)""", Long.class, tenantId,
				tenantId, tenantId);
	}

	/**
	 * Every tenant's deltas waiting: the statistics' (V50-V54) and the feed's counts'
	 * (V4, V7, V43).
	 */
	public static long leftInAll(JdbcTemplate jdbc) {
		return jdbc.queryForObject("""
				select (select count(*) from rv_stats_delta) + (select count(*) from rv_stats_value_delta)
				     + (select count(*) from rv_stats_device_delta) + (select count(*) from rv_session_count_delta)
				     + (select count(*) from rv_session_facet_delta) + (select count(*) from rv_session_joint_delta)""",
				Long.class);
	}

}
