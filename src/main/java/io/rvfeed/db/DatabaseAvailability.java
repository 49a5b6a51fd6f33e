package io.rvfeed.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.rvfeed.web.DatabaseUnavailable;

/**
 * Whether the database can serve requests, and the start-up work that needs it.
 * <p>
 * At start-up Flyway's migrations and the {@link DatabaseStartupTask}s run. When
 * PostgreSQL does not answer, a web service starts anyway: it reports not ready, answers
 * 503 to requests that need the database, and tries again every
 * {@code rvfeed.database.check-interval} until the migrations and tasks have run (the
 * command line, which serves nobody, fails at once instead).
 * <p>
 * Afterwards a web service checks the database over a connection of its own (outside the
 * pool, so a busy pool never looks like an outage) at the same interval: an outage is
 * logged once, turns readiness DOWN and makes requests that need the database fail at
 * once with 503 instead of waiting for a connection; recovery is logged once and lifts
 * both.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class DatabaseAvailability implements ApplicationRunner, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);

	private final DatabaseProperties properties;

	private final DataSource dataSource;

	private final ObjectProvider<DatabaseStartupTask> tasks;

	private final ApplicationContext context;

	private final boolean web;

	private @Nullable Flyway pendingMigration;

	private volatile boolean prepared;

	private volatile boolean reachable;

	private volatile boolean failed;

	private long unreachableSinceNanos;

	private @Nullable ScheduledExecutorService monitor;

	private @Nullable Connection probe;

	DatabaseAvailability(DatabaseProperties properties, DataSource dataSource,
			ObjectProvider<DatabaseStartupTask> tasks, ApplicationContext context) {
		this.properties = properties;
		this.dataSource = dataSource;
		this.tasks = tasks;
		this.context = context;
		this.web = context instanceof WebServerApplicationContext;
	}

	/**
	 * Whether requests may use the database: it has been migrated and prepared, and the
	 * last check reached it.
	 */
	public boolean available() {
		return this.prepared && this.reachable;
	}

	/**
	 * Flyway's migration during start-up; a web service that cannot reach the database
	 * leaves it for later.
	 */
	synchronized void migrateAtStartUp(Flyway flyway) {
		try {
			flyway.migrate();
		}
		catch (RuntimeException ex) {
			if (!this.web || !DatabaseUnavailable.isCause(ex)) {
				throw ex;
			}
			this.pendingMigration = flyway;
		}
	}

	@Override
	public void run(ApplicationArguments args) {
		try {
			prepare();
		}
		catch (RuntimeException ex) {
			if (!this.web || !DatabaseUnavailable.isCause(ex)) {
				throw ex;
			}
			this.unreachableSinceNanos = System.nanoTime();
			log.warn(
					"PostgreSQL does not answer ({}). Starting without it: not ready, answering 503 to requests "
							+ "that need it, trying again every {}; migrations run once it answers.",
					reason(ex), DurationStyle.SIMPLE.print(this.properties.checkInterval()));
		}
		if (this.web) {
			startMonitor();
		}
	}

	private synchronized void prepare() {
		if (this.prepared) {
			return;
		}
		if (this.pendingMigration != null) {
			this.pendingMigration.migrate();
			this.pendingMigration = null;
		}
		List<DatabaseStartupTask> ordered = this.tasks.orderedStream().toList();
		for (DatabaseStartupTask task : ordered) {
			task.run();
		}
		this.reachable = true;
		this.prepared = true;
	}

	private void startMonitor() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "database-monitor");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.properties.checkInterval().toMillis();
		executor.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
		this.monitor = executor;
	}

	private void tick() {
		if (this.failed) {
			return;
		}
		try {
			if (!this.prepared) {
				prepareLate();
			}
			else {
				check();
			}
		}
		catch (RuntimeException ex) {
			log.error("Checking the database failed", ex);
		}
	}

	private void prepareLate() {
		try {
			prepare();
			log.info("PostgreSQL answers: migrated and ready after {} s without it",
					Duration.ofNanos(System.nanoTime() - this.unreachableSinceNanos).toSeconds());
		}
		catch (RuntimeException ex) {
			if (DatabaseUnavailable.isCause(ex)) {
				return;
			}
			this.failed = true;
			log.error("Start-up failed once PostgreSQL answered; stopping", ex);
			// not on this thread, which closing the context stops
			new Thread(() -> System.exit(SpringApplication.exit(this.context, () -> 1)), "database-start-up-failed")
				.start();
		}
	}

	private void check() {
		String problem = probe();
		if (problem == null && !this.reachable) {
			// the pool may still be backing off from failed attempts: back once it
			// serves, which it is given up to a check timeout to do
			long deadline = System.nanoTime() + this.properties.checkTimeout().toNanos();
			do {
				problem = borrow();
			}
			while (problem != null && System.nanoTime() < deadline);
		}
		if (problem == null && !this.reachable) {
			log.info("PostgreSQL answers again after {} s",
					Duration.ofNanos(System.nanoTime() - this.unreachableSinceNanos).toSeconds());
			this.reachable = true;
		}
		else if (problem != null && this.reachable) {
			this.reachable = false;
			this.unreachableSinceNanos = System.nanoTime();
			log.warn("PostgreSQL does not answer ({}): not ready, answering 503 to requests that need it until it does",
					problem);
			// pooled connections would be as dead: new ones are made when it is back
			if (this.dataSource instanceof HikariDataSource hikari) {
				HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
				if (pool != null) {
					pool.softEvictConnections();
				}
			}
		}
	}

	/** Null when the database answered within the check timeout, else why not. */
	private @Nullable String probe() {
		int timeoutSeconds = (int) Math.max(1, this.properties.checkTimeout().toSeconds());
		if (this.probe == null) {
			try {
				this.probe = openProbe(timeoutSeconds);
			}
			catch (SQLException ex) {
				// no connection slot left for one of its own (insufficient resources,
				// class 53): the pool decides
				boolean noSlot = ex.getSQLState() != null && ex.getSQLState().startsWith("53");
				return (noSlot && borrow() == null) ? null : reason(ex);
			}
		}
		try {
			if (this.probe.isValid(timeoutSeconds)) {
				return null;
			}
			closeProbe();
			return "the connection check failed or took over "
					+ DurationStyle.SIMPLE.print(this.properties.checkTimeout());
		}
		catch (SQLException ex) {
			closeProbe();
			return reason(ex);
		}
	}

	/** Null when the pool hands out a working connection, else why not. */
	private @Nullable String borrow() {
		try (Connection connection = this.dataSource.getConnection()) {
			return connection.isValid((int) Math.max(1, this.properties.checkTimeout().toSeconds())) ? null
					: "a pooled connection failed its check";
		}
		catch (SQLException ex) {
			return reason(ex);
		}
	}

	/**
	 * A connection of the monitor's own, with the pool's settings but bounded by the
	 * check timeout at every step.
	 */
	private Connection openProbe(int timeoutSeconds) throws SQLException {
		if (!(this.dataSource instanceof HikariDataSource hikari) || hikari.getJdbcUrl() == null) {
			return this.dataSource.getConnection();
		}
		Properties settings = new Properties();
		settings.putAll(hikari.getDataSourceProperties());
		if (hikari.getUsername() != null) {
			settings.setProperty("user", hikari.getUsername());
		}
		if (hikari.getPassword() != null) {
			settings.setProperty("password", hikari.getPassword());
		}
		String timeout = Integer.toString(timeoutSeconds);
		settings.setProperty("connectTimeout", timeout);
		settings.setProperty("loginTimeout", timeout);
		settings.setProperty("socketTimeout", timeout);
		settings.setProperty("ApplicationName", "rv-feed database check");
		return DriverManager.getConnection(hikari.getJdbcUrl(), settings);
	}

	private void closeProbe() {
		if (this.probe != null) {
			try {
				this.probe.close();
			}
			catch (SQLException ex) {
				// it was broken already
			}
			this.probe = null;
		}
	}

	private static String reason(Throwable ex) {
		return NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
	}

	@Override
	public void destroy() throws InterruptedException {
		ScheduledExecutorService executor = this.monitor;
		if (executor != null) {
			executor.shutdownNow();
			executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		closeProbe();
	}

}
