package io.rvfeed.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.rvfeed.session.SessionRow;
import io.rvfeed.support.SessionFixtures;
import io.rvfeed.support.TestTenants.TestTenant;

/**
 * Sessions made directly, then the bodies of {@code events:batch} requests that take each
 * of them through ACKNOWLEDGED, ACTIVE and TERMINATED: three events a session, at most
 * {@value #PER_BATCH} a batch.
 */
final class EndingBatches {

	static final int PER_BATCH = 999;

	private static final String[][] CHANGES = { { "ACKNOWLEDGED", "01" }, { "ACTIVE", "02" }, { "TERMINATED", "03" } };

	private EndingBatches() {
	}

	static List<String> of(SessionFixtures fixtures, TestTenant tenant, int sessionCount) {
		return of(fixtures, tenant, sessionCount, PER_BATCH);
	}

	/**
	 * As {@link #of(SessionFixtures, TestTenant, int)}, at most {@code perBatch} a batch.
	 */
	static List<String> of(SessionFixtures fixtures, TestTenant tenant, int sessionCount, int perBatch) {
		List<SessionRow> sessions = new ArrayList<>();
		for (int i = 0; i < sessionCount; i++) {
			sessions.add(fixtures.session(tenant).sessionId(UUID.randomUUID()).build());
		}
		fixtures.insert(sessions);
		List<String> batches = new ArrayList<>();
		StringBuilder batch = new StringBuilder();
		int inBatch = 0;
		for (SessionRow session : sessions) {
			for (String[] change : CHANGES) {
				batch.append(inBatch == 0 ? "[" : ",")
					.append("{\"session_id\":\"")
					.append(session.sessionId())
					.append("\",\"state\":\"")
					.append(change[0])
					.append("\",\"occurred_at\":\"2026-01-01T10:00:")
					.append(change[1])
					.append("Z\"}");
				inBatch++;
			}
			if (inBatch + CHANGES.length > perBatch) {
				batches.add(batch.append(']').toString());
				batch.setLength(0);
				inBatch = 0;
			}
		}
		if (inBatch > 0) {
			batches.add(batch.append(']').toString());
		}
		return batches;
	}

}
