package io.rvfeed.session;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.stereotype.Repository;

/**
 * Where the tenant's writes stand in commit order, for readers by cursor: every session
 * change (V2) and every event (V20) carries the id of the transaction that wrote it, and
 * every write transaction records at least one event (a creation its INITIATED event).
 */
@Repository
public class EventPositions {

	/**
	 * Probes of the binary search: a transaction id is below 2^63, so 64 probes always
	 * end it.
	 */
	private static final int MAX_PROBES = 64;

	private final JdbcOperations jdbc;

	EventPositions(JdbcOperations jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * {@code xmin} of a new snapshot: every transaction below it has ended, so a position
	 * below it is final, and none at or above it has been given out.
	 */
	public long snapshotXmin() {
		return this.jdbc.queryForObject("select pg_snapshot_xmin(pg_current_snapshot())::text", String.class)
			.transform(Long::parseLong);
	}

	/**
	 * The transaction from which a reader that starts at {@code since} reads: the first
	 * whose events of the tenant were received at or after {@code since} (a transaction's
	 * events are one request's, received together), and never beyond what is final
	 * ({@code xmin}). Found by binary search over the positions index, each probe one
	 * index seek; transactions that overlap in time may fall on either side.
	 */
	public long transactionAt(UUID tenantId, Instant since) {
		long xmin = snapshotXmin();
		long low = 0;
		long high = xmin;
		// the first transaction from high on (if any) was received at or after since;
		// every one below low that was looked at was received before it
		for (int probe = 0; probe < MAX_PROBES && low < high; probe++) {
			long middle = low + (high - low) / 2;
			Long before = firstTransactionFrom(tenantId, middle, since);
			if (before == null) {
				high = middle;
			}
			else {
				low = before + 1;
			}
		}
		return Math.min(high, xmin);
	}

	/**
	 * The first transaction from {@code tx} on if its first event was received before
	 * {@code since}; null if that event was received at or after {@code since}, or there
	 * is none. The first row in position order is the first event of the first
	 * transaction.
	 */
	private Long firstTransactionFrom(UUID tenantId, long tx, Instant since) {
		List<Long> before = this.jdbc.query("""
				select change_tx::text from (
				  select change_tx, received_at from rv_session_event
				  where tenant_id = ? and change_tx >= ?::text::xid8
				  order by change_tx, arrival limit 1) first
				where received_at < ?""", (row, n) -> Long.parseLong(row.getString(1)), tenantId, String.valueOf(tx),
				Timestamp.from(since));
		return before.isEmpty() ? null : before.get(0);
	}

}
