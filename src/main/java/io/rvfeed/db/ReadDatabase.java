package io.rvfeed.db;

import java.util.Optional;
import java.util.concurrent.Callable;

import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Where reads that may be slightly stale go: the feed, exports, the changes and events
 * cursors, statistics and live streams. Writes, key checks and revocations use the
 * primary's beans ({@code DSLContext}, {@code JdbcOperations},
 * {@code PlatformTransactionManager}) as before.
 * <p>
 * Without {@code RVFEED_READ_DATASOURCE_URL} this hands out exactly those primary beans.
 * With it, every connection taken through {@link #dsl()}, {@link #jdbc()} or a
 * transaction of {@link #transactions()} comes from the streaming replica when its replay
 * lag is within {@code rvfeed.read-replica.max-lag} and it answers, else from the primary
 * (see {@link ReplicaMonitor}). A transaction keeps the connection it began with, so an
 * export reads one snapshot of one server.
 * <p>
 * Read-your-writes: a write answers with a consistency token
 * ({@link #consistencyToken()}, the primary's WAL position after its commit; the
 * {@code X-Consistency-Token} header). A read run inside {@link #atLeast} with that token
 * is served by the replica only once the replica has replayed past it, else by the
 * primary. For {@code GET} requests under {@code /api/} the header is applied this way by
 * {@link ConsistencyTokenFilter}; work handed to another thread carries it with
 * {@link #carryingToken}.
 */
public final class ReadDatabase {

	/** The request header (and response header of writes) that carries a token. */
	public static final String CONSISTENCY_TOKEN_HEADER = "X-Consistency-Token";

	private static final ThreadLocal<@Nullable WalPosition> TOKEN = new ThreadLocal<>();

	private final DSLContext dsl;

	private final JdbcOperations jdbc;

	private final PlatformTransactionManager transactions;

	private final @Nullable ReplicaMonitor replica;

	ReadDatabase(DSLContext dsl, JdbcOperations jdbc, PlatformTransactionManager transactions,
			@Nullable ReplicaMonitor replica) {
		this.dsl = dsl;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.replica = replica;
	}

	/** jOOQ over the read connections. */
	public DSLContext dsl() {
		return this.dsl;
	}

	/** JDBC over the read connections. */
	public JdbcOperations jdbc() {
		return this.jdbc;
	}

	/**
	 * Transactions over the read connections, for reads that need one snapshot or a
	 * server-side cursor (exports). Read-only: a replica takes no writes.
	 */
	public PlatformTransactionManager transactions() {
		return this.transactions;
	}

	/** Whether a read replica is configured. */
	public boolean replicaConfigured() {
		return this.replica != null;
	}

	/**
	 * The token of everything committed on the primary so far, to answer a write with;
	 * empty without a replica (every read sees every write then) or when the primary does
	 * not answer.
	 */
	public Optional<WalPosition> consistencyToken() {
		return (this.replica != null) ? this.replica.primaryInsertPosition() : Optional.empty();
	}

	/** Stops watching the replica and closes its pool. */
	void close() throws InterruptedException {
		if (this.replica != null) {
			this.replica.destroy();
		}
	}

	/** Runs {@code work} with its reads at least as new as {@code token} (if any). */
	public static <T> T atLeast(@Nullable WalPosition token, Callable<T> work) throws Exception {
		WalPosition outer = TOKEN.get();
		TOKEN.set(token);
		try {
			return work.call();
		}
		finally {
			if (outer != null) {
				TOKEN.set(outer);
			}
			else {
				TOKEN.remove();
			}
		}
	}

	/** Runs {@code work} with its reads at least as new as {@code token} (if any). */
	public static void runAtLeast(@Nullable WalPosition token, Runnable work) {
		WalPosition outer = TOKEN.get();
		TOKEN.set(token);
		try {
			work.run();
		}
		finally {
			if (outer != null) {
				TOKEN.set(outer);
			}
			else {
				TOKEN.remove();
			}
		}
	}

	/** The token that reads on this thread must have replayed, if any. */
	public static @Nullable WalPosition currentToken() {
		return TOKEN.get();
	}

	/** {@code work}, to run on another thread with this thread's token. */
	public static Runnable carryingToken(Runnable work) {
		WalPosition token = TOKEN.get();
		if (token == null) {
			return work;
		}
		return () -> runAtLeast(token, work);
	}

}
