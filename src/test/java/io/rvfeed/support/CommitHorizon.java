package io.rvfeed.support;

import java.time.Duration;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The cursor feeds show a change once every transaction that began before it has ended
 * (positions below {@code pg_snapshot_xmin}), and the service's background work
 * (compactions, deliveries, retention) opens transactions of its own at any moment; a
 * test that reads right after its writes waits here first.
 */
public final class CommitHorizon {

	private CommitHorizon() {
	}

	/**
	 * Waits (at most 10 s) until every transaction that had an id when this was called
	 * has ended, so that whatever committed before the call shows in the feeds.
	 */
	public static void awaitPassedNow(JdbcTemplate jdbc) {
		String now = jdbc.queryForObject("select pg_snapshot_xmax(pg_current_snapshot())::text", String.class);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!Boolean.TRUE.equals(
				jdbc.queryForObject("select pg_snapshot_xmin(pg_current_snapshot()) >= ?::xid8", Boolean.class, now))) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("a transaction older than " + now + " stayed open for 10 s");
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
