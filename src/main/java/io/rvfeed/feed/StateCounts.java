package io.rvfeed.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;

/**
 * Exact counts per tenant, state and video quality from the counts kept on write (V4),
 * read in the caller's snapshot. {@link FeedCount} decides when they answer a query.
 */
final class StateCounts {

	private static final Field<UUID> TENANT_ID = DSL.field(DSL.name("tenant_id"), SQLDataType.UUID);

	private static final Field<String> STATE = DSL.field(DSL.name("state"), SQLDataType.CLOB);

	private static final Field<String> VIDEO_QUALITY = DSL.field(DSL.name("video_quality"), SQLDataType.CLOB);

	private StateCounts() {
	}

	/** The count as an expression, to be read in the same statement as the page. */
	static Field<Long> count(UUID tenantId, Set<SessionState> states, Set<VideoQuality> qualities) {
		List<Condition> where = new ArrayList<>();
		where.add(TENANT_ID.eq(tenantId));
		if (!states.isEmpty()) {
			where.add(STATE.in(states.stream().map(Enum::name).toList()));
		}
		if (!qualities.isEmpty()) {
			where.add(VIDEO_QUALITY.in(qualities.stream().map(Enum::name).toList()));
		}
		return KeptCounts.STATE_AND_QUALITY.sum(DSL.and(where));
	}

}
