package io.rvfeed.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Watches the read replica and decides, for each read connection, which server serves it.
 * <p>
 * <b>Lag.</b> Every {@code rvfeed.read-replica.check-interval} the monitor notes the
 * primary's flushed WAL position with the time, then asks the replica how far it has
 * replayed. The replica holds everything the primary had at the newest noted time whose
 * position it has replayed, so its staleness is at most the time since then: no clocks of
 * two servers are compared, and the bound is conservative by up to one interval. A read
 * uses that bound plus the age of the measurement, so it holds between checks too.
 * <p>
 * <b>Routing.</b> A read goes to the replica when it answered the last check, is a
 * standby of the same cluster (the same system identifier), and its bound is within
 * {@code max-lag}; and, when the read carries a consistency token, when it has replayed
 * past the token (asked of the replica itself when the last check had not seen it yet).
 * Otherwise, or when no replica connection comes within
 * {@code rvfeed.read-replica.connection-timeout}, it goes to the primary. Changes of
 * where reads go are logged once; metrics: {@code rvfeed.read_replica.in_use} (1 while
 * reads without a token go to the replica), {@code rvfeed.read_replica.lag} (seconds, as
 * last measured) and {@code rvfeed.read_replica.reads} (by {@code source} and
 * {@code reason}).
 */
final class ReplicaMonitor implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ReplicaMonitor.class);

	/** Why a read went where it went; the {@code reason} tag. */
	enum Route {

		/** Within the lag bound (and past the read's token). */
		FRESH(true, "fresh"),
		/** Lagging more than max-lag. */
		LAG(false, "lag"),
		/** Did not answer, or not checked yet. */
		UNREACHABLE(false, "unreachable"),
		/** Not a standby of the primary's cluster. */
		NOT_A_REPLICA(false, "not-a-replica"),
		/** Had not replayed the read's consistency token. */
		TOKEN(false, "token");

		final boolean replica;

		final String reason;

		Route(boolean replica, String reason) {
			this.replica = replica;
			this.reason = reason;
		}

	}

	/**
	 * What the last check found.
	 *
	 * @param route where reads without a token go, as of the check
	 * @param replayed how far the replica has replayed
	 * @param freshAsOfNanos the replica holds everything the primary had flushed at this
	 * time ({@link System#nanoTime})
	 * @param lagNanos the replay lag as measured, for the metric
	 * @param detail why, for the log
	 */
	record Status(Route route, @Nullable WalPosition replayed, long freshAsOfNanos, long lagNanos, String detail) {

		static Status unreachable(String detail) {
			return new Status(Route.UNREACHABLE, null, 0, -1, detail);
		}

	}

	private record Sample(long nanos, WalPosition position) {
	}

	private final ReadReplicaProperties properties;

	private final DatabaseProperties database;

	private final HikariDataSource replica;

	private final DataSource primary;

	private final JdbcTemplate primaryJdbc;

	private final Deque<Sample> samples = new ArrayDeque<>();

	private final Map<Route, Counter> reads = new EnumMap<>(Route.class);

	private volatile Status status = Status.unreachable("not checked yet");

	private @Nullable Connection probe;

	private @Nullable String primarySystem;

	private @Nullable ScheduledExecutorService executor;

	private final Object logLock = new Object();

	/** Where reads went at the last log line; none before the first check. */
	private @Nullable Route lastLogged;

	private boolean served;

	ReplicaMonitor(ReadReplicaProperties properties, DatabaseProperties database, HikariDataSource replica,
			DataSource primary, @Nullable MeterRegistry meters) {
		this.properties = properties;
		this.database = database;
		this.replica = replica;
		this.primary = primary;
		this.primaryJdbc = new JdbcTemplate(primary);
		if (meters != null) {
			for (Route route : Route.values()) {
				this.reads.put(route,
						Counter.builder("rvfeed.read_replica.reads")
							.description("Read connections by the server that served them and why")
							.tag("source", route.replica ? "replica" : "primary")
							.tag("reason", route.reason)
							.register(meters));
			}
			Gauge.builder("rvfeed.read_replica.in_use", this, (monitor) -> monitor.route(null).replica ? 1 : 0)
				.description("1 while reads without a consistency token go to the read replica, 0 while they go "
						+ "to the primary")
				.register(meters);
			Gauge
				.builder("rvfeed.read_replica.lag", this,
						(monitor) -> (monitor.status.lagNanos() < 0) ? Double.NaN : monitor.status.lagNanos() / 1e9)
				.description("The read replica's replay lag at the last check, at most one check interval over; "
						+ "NaN while it does not answer")
				.baseUnit("seconds")
				.register(meters);
		}
	}

	void start() {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "read-replica-monitor");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.properties.checkInterval().toMillis();
		scheduler.scheduleWithFixedDelay(this::check, 0, interval, TimeUnit.MILLISECONDS);
		this.executor = scheduler;
	}

	/** Where a read with {@code token} (or none) goes now. */
	Route route(@Nullable WalPosition token) {
		Status current = this.status;
		if (!current.route().replica) {
			return current.route();
		}
		long lag = System.nanoTime() - current.freshAsOfNanos();
		if (lag > this.properties.maxLag().toNanos()) {
			return Route.LAG;
		}
		if (token != null && (current.replayed() == null || current.replayed().isBefore(token))) {
			return Route.TOKEN;
		}
		return Route.FRESH;
	}

	/**
	 * A replica connection for a read with {@code token}, or null when the read is to use
	 * the primary; counts the read either way.
	 */
	@Nullable Connection connection(@Nullable WalPosition token) {
		Route route = route(token);
		// the last check may be older than the token: then the replica itself is asked
		boolean askReplica = route == Route.TOKEN && route(null) == Route.FRESH;
		if (!route.replica && !askReplica) {
			count(route);
			return null;
		}
		Connection connection;
		try {
			connection = this.replica.getConnection();
		}
		catch (SQLException ex) {
			unreachable(reason(ex));
			count(Route.UNREACHABLE);
			return null;
		}
		if (askReplica && !replayed(connection, token)) {
			close(connection);
			count(Route.TOKEN);
			return null;
		}
		count(Route.FRESH);
		return connection;
	}

	private boolean replayed(Connection connection, @Nullable WalPosition token) {
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select pg_last_wal_replay_lsn()::text")) {
			rows.next();
			String text = rows.getString(1);
			WalPosition replayed = (text != null) ? WalPosition.parse(text).orElse(null) : null;
			return replayed != null && token != null && !replayed.isBefore(token);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static void close(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// returned to the pool broken: the pool drops it
		}
	}

	private void count(Route route) {
		Counter counter = this.reads.get(route);
		if (counter != null) {
			counter.increment();
		}
	}

	/** The primary's WAL insert position: past every commit that has returned. */
	Optional<WalPosition> primaryInsertPosition() {
		try {
			String text = this.primaryJdbc.queryForObject("select pg_current_wal_insert_lsn()::text", String.class);
			return (text != null) ? WalPosition.parse(text) : Optional.empty();
		}
		catch (RuntimeException ex) {
			log.debug("Could not read the primary's WAL position for a consistency token", ex);
			return Optional.empty();
		}
	}

	Status status() {
		return this.status;
	}

	/** Seen by a read: reads use the primary until a check finds the replica again. */
	private void unreachable(String reason) {
		if (this.status.route() != Route.UNREACHABLE) {
			this.status = Status.unreachable(reason);
			evictPooled();
			logChange();
		}
	}

	/** Pooled replica connections would be as dead: new ones are made when it is back. */
	private void evictPooled() {
		var pool = this.replica.getHikariPoolMXBean();
		if (pool != null) {
			pool.softEvictConnections();
		}
	}

	/** One check: the primary's position, then the replica's. */
	synchronized void check() {
		Route before = this.status.route();
		try {
			samplePrimary();
			this.status = measureReplica();
		}
		catch (RuntimeException ex) {
			this.status = Status.unreachable(reason(ex));
		}
		if (this.status.route() == Route.UNREACHABLE && before != Route.UNREACHABLE) {
			evictPooled();
		}
		logChange();
	}

	private void samplePrimary() {
		long now = System.nanoTime();
		try {
			if (this.primarySystem == null) {
				this.primarySystem = this.primaryJdbc
					.queryForObject("select system_identifier::text from pg_control_system()", String.class);
			}
			String text = this.primaryJdbc.queryForObject("select pg_current_wal_flush_lsn()::text", String.class);
			WalPosition position = (text != null) ? WalPosition.parse(text).orElse(null) : null;
			if (position != null) {
				this.samples.addLast(new Sample(now, position));
			}
		}
		catch (RuntimeException ex) {
			// the primary's outage is DatabaseAvailability's to tell; without new samples
			// the bound only grows
			log.debug("Could not read the primary's WAL position", ex);
		}
		long keep = this.properties.maxLag().plus(this.properties.checkInterval().multipliedBy(3)).toNanos();
		while (this.samples.size() > 1 && now - this.samples.peekFirst().nanos() > keep) {
			this.samples.removeFirst();
		}
	}

	private Status measureReplica() {
		int timeout = (int) Math.max(1, this.database.checkTimeout().toSeconds());
		try {
			if (this.probe == null) {
				this.probe = openProbe(timeout);
			}
			try (Statement statement = this.probe.createStatement()) {
				statement.setQueryTimeout(timeout);
				try (ResultSet rows = statement.executeQuery("select pg_is_in_recovery(), "
						+ "pg_last_wal_replay_lsn()::text, (select system_identifier::text from pg_control_system())")) {
					rows.next();
					if (!rows.getBoolean(1)) {
						return new Status(Route.NOT_A_REPLICA, null, 0, -1,
								"it is not a standby (not in recovery): a primary, or promoted");
					}
					String system = rows.getString(3);
					if (this.primarySystem != null && !this.primarySystem.equals(system)) {
						return new Status(Route.NOT_A_REPLICA, null, 0, -1, "it is a standby of another cluster "
								+ "(system identifier " + system + ", the primary's is " + this.primarySystem + ")");
					}
					String text = rows.getString(2);
					WalPosition replayed = (text != null) ? WalPosition.parse(text).orElse(null) : null;
					if (replayed == null) {
						return new Status(Route.LAG, null, 0, -1, "it has replayed nothing yet");
					}
					return fresh(replayed);
				}
			}
		}
		catch (SQLException ex) {
			closeProbe();
			return Status.unreachable(reason(ex));
		}
	}

	/** The bound from the newest sample the replica has replayed. */
	private Status fresh(WalPosition replayed) {
		Sample newest = this.samples.peekLast();
		if (newest == null) {
			return new Status(Route.UNREACHABLE, replayed, 0, -1, "the primary's position is not known yet");
		}
		Sample covered = null;
		for (var each = this.samples.descendingIterator(); each.hasNext();) {
			Sample sample = each.next();
			if (!replayed.isBefore(sample.position())) {
				covered = sample;
				break;
			}
		}
		long freshAsOf = (covered != null) ? covered.nanos()
				: this.samples.peekFirst().nanos() - this.properties.checkInterval().toNanos();
		long lag = Math.max(0, newest.nanos() - freshAsOf);
		boolean within = lag <= this.properties.maxLag().toNanos();
		return new Status(within ? Route.FRESH : Route.LAG, replayed, freshAsOf, lag,
				"replay lag " + Duration.ofNanos(lag).toMillis() + " ms (max-lag " + this.properties.maxLag().toMillis()
						+ " ms), replayed " + replayed);
	}

	private void logChange() {
		synchronized (this.logLock) {
			logChangeLocked();
		}
	}

	private void logChangeLocked() {
		Route now = this.status.route();
		if (now == this.lastLogged) {
			return;
		}
		if (now.replica) {
			log.info("Reads go to the read replica{} ({})", this.served ? " again" : "", this.status.detail());
			this.served = true;
		}
		else {
			log.warn("Reads go to the primary: the read replica {} ({})", describe(now), this.status.detail());
		}
		this.lastLogged = now;
	}

	private static String describe(Route route) {
		return switch (route) {
			case LAG -> "lags more than max-lag";
			case UNREACHABLE -> "does not answer";
			case NOT_A_REPLICA -> "is not a replica of the primary";
			case TOKEN, FRESH -> "serves";
		};
	}

	private Connection openProbe(int timeoutSeconds) throws SQLException {
		Properties settings = new Properties();
		settings.putAll(this.replica.getDataSourceProperties());
		if (this.replica.getUsername() != null) {
			settings.setProperty("user", this.replica.getUsername());
		}
		if (this.replica.getPassword() != null) {
			settings.setProperty("password", this.replica.getPassword());
		}
		String timeout = Integer.toString(timeoutSeconds);
		settings.setProperty("connectTimeout", timeout);
		settings.setProperty("loginTimeout", timeout);
		settings.setProperty("socketTimeout", timeout);
		settings.setProperty("ApplicationName", "rv-feed read replica check");
		return DriverManager.getConnection(this.replica.getJdbcUrl(), settings);
	}

	private void closeProbe() {
		if (this.probe != null) {
			try {
				this.probe.close();
			}
			catch (SQLException ex) {
				// broken already
			}
			this.probe = null;
		}
	}

	private static String reason(Throwable ex) {
		String message = NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
		for (Throwable cause = ex; message == null && cause != null; cause = cause.getCause()) {
			message = cause.getMessage();
		}
		return (message != null) ? message : ex.getClass().getSimpleName();
	}

	@Override
	public void destroy() throws InterruptedException {
		ScheduledExecutorService scheduler = this.executor;
		if (scheduler != null) {
			scheduler.shutdownNow();
			scheduler.awaitTermination(5, TimeUnit.SECONDS);
		}
		synchronized (this) {
			closeProbe();
		}
		this.replica.close();
	}

	DataSource primary() {
		return this.primary;
	}

}
