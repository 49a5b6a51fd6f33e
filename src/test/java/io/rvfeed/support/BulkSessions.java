package io.rvfeed.support;

import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Many large sessions for a tenant in one statement, for attack tests that must fill a
 * client's socket buffers: each session has a 200-character device name and a
 * 1,000-character reason, about 1.4 KB in the feed.
 */
@Component
public class BulkSessions {

	private final JdbcTemplate jdbc;

	BulkSessions(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	public void insertLarge(UUID tenantId, int count) {
		this.jdbc.update(
				"""
						insert into rv_session (tenant_id, session_id, device_id, device_name, device_alias, device_state, state,
						    video_quality, reason, created_by, updated_by, created_at, updated_at, started_at, ended_at,
						    device_name_lc, reason_lc, created_by_lc)
						select ?, gen_random_uuid(), gen_random_uuid(), n.name, null, 1, 'FAILED', 'STANDARD', n.reason,
						       'bulk', 'bulk', t.created, t.created, null, t.created, lower(n.name), lower(n.reason), 'bulk'
						from generate_series(1, ?) g,
						     lateral (select timestamptz '2025-06-01 00:00:00+00' + g * interval '1 second' as created) t,
						     lateral (select rpad('Bulk device ' || g || ' ', 200, 'x') as name,
						                     rpad('Bulk reason ' || g || ' ', 1000, 'y') as reason) n
						""",
				tenantId, count);
	}

}
