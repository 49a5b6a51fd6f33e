package io.rvfeed.support;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.security.CodeSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * A test hook, active wherever the test sources are on the class path (every service the
 * integration suite starts): every statement the service sends through a pool is checked
 * before it runs, and one that touches tenant data without a tenant condition fails with
 * an {@link SQLException} (so the request fails and so does its test) and is remembered
 * in {@link #violations()}. Under Citus such a statement would go to every shard; here it
 * is most likely a tenant leak.
 * <p>
 * Tenant data are the {@link #DISTRIBUTED} tables (TenantConditionCheckIT keeps the set
 * equal to the catalogue's). A statement passes when it compares {@code tenant_id} with a
 * value ({@code tenant_id = ?}, {@code = '...'}, {@code in (...)}), or is an insert whose
 * column list carries {@code tenant_id}. Left alone: schema changes, Flyway's migrations,
 * statements the tests themselves send, and the {@link #ALL_TENANTS} callers, which work
 * over all tenants on purpose.
 * <p>
 * Benchmarks turn it off ({@code -Drvfeed.test.tenant-condition-check=false}): it parses
 * every statement, which the service does not do in production.
 */
@Component
@ConditionalOnProperty(name = "rvfeed.test.tenant-condition-check", havingValue = "true", matchIfMissing = true)
public class TenantConditionCheck implements BeanPostProcessor {

	/** The tables distributed by {@code tenant_id} under Citus (docs/scaling.md). */
	public static final Set<String> DISTRIBUTED = Set.of("rv_session", "rv_session_event", "rv_session_count",
			"rv_session_count_delta", "rv_session_facet_count", "rv_session_facet_delta", "rv_session_joint_count",
			"rv_session_joint_delta", "rv_stats_cell", "rv_stats_cell_version", "rv_stats_delta", "rv_stats_value_cell",
			"rv_stats_value_delta", "rv_stats_device_count", "rv_stats_device_delta", "rv_stats_device_groups",
			"webhook_endpoint", "webhook_outbox", "webhook_message", "webhook_attempt");

	/**
	 * Callers (class name prefixes) whose statements cover all tenants on purpose, and
	 * why: under Citus they become multi-shard statements, run in the background.
	 */
	static final List<String> ALL_TENANTS = List.of(
			// folds the count deltas of every tenant, and vacuums the delta tables
			"io.rvfeed.feed.FeedCountCompactor", "io.rvfeed.feed.KeptCounts.compact",
			"io.rvfeed.feed.KeptCounts.vacuumDeltas",
			// folds the statistics deltas of every tenant into their cells (V50)
			"io.rvfeed.stats.StatsCellCompactor",
			// the webhook delivery worker unpacks the outbox, finds due endpoints and
			// claims their messages over all tenants (FOR UPDATE SKIP LOCKED), purges
			// old messages; the backlog metrics count pending messages of every endpoint
			"io.rvfeed.webhook.MessageRepository.unpackAny", "io.rvfeed.webhook.MessageRepository.packedEndpoints",
			"io.rvfeed.webhook.MessageRepository.dueEndpoints", "io.rvfeed.webhook.MessageRepository.release",
			"io.rvfeed.webhook.MessageRepository.purge", "io.rvfeed.webhook.MessageRepository.backlog",
			// the benchmark's data generator and the demo data: bulk loads and statistics
			"io.rvfeed.bench.", "io.rvfeed.demo.");

	private static final Pattern TABLE = Pattern.compile("(?<![\\w$])\"?("
			+ String.join("|", DISTRIBUTED.stream().sorted((a, b) -> b.length() - a.length()).toList())
			+ ")\"?(?![\\w$])");

	private static final String TENANT_COLUMN = "(?:\"?\\w+\"?\\.)?\"?tenant_id\"?";

	private static final String VALUE = "(?:\\?|\\$\\d+|'[0-9a-fA-F-]{36}'(?:::uuid)?|cast\\s*\\(\\s*(?:\\?|'[0-9a-fA-F-]{36}')\\s+as\\s+uuid\\s*\\))";

	private static final Pattern CONDITION = Pattern.compile(TENANT_COLUMN + "\\s*(?:=\\s*" + VALUE + "|in\\s*\\(\\s*"
			+ VALUE + "|=\\s*any\\s*\\(\\s*(?:\\?|cast\\s*\\(\\s*\\?))", Pattern.CASE_INSENSITIVE);

	private static final Pattern INSERT = Pattern.compile(
			"^\\s*(?:with\\b.*?\\)\\s*)?insert\\s+into\\s+\\S+\\s*\\(([^)]*)\\)",
			Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

	private static final Pattern SCHEMA_CHANGE = Pattern.compile(
			"^\\s*(create|alter|drop|comment|analyze|vacuum|grant|revoke|reindex|cluster|truncate|do|lock|set|show|reset)\\b",
			Pattern.CASE_INSENSITIVE);

	private static final org.slf4j.Logger log = LoggerFactory.getLogger(TenantConditionCheck.class);

	private static final List<String> violations = new CopyOnWriteArrayList<>();

	private static final ThreadLocal<Boolean> checkingTests = ThreadLocal.withInitial(() -> false);

	/**
	 * Runs {@code work} with the test's own statements checked too, as if the service
	 * sent them: for the test of this check.
	 */
	public static <T> T checkingTestCode(java.util.concurrent.Callable<T> work) throws Exception {
		checkingTests.set(true);
		try {
			return work.call();
		}
		finally {
			checkingTests.remove();
		}
	}

	/** The statements refused so far in this JVM. */
	public static List<String> violations() {
		return List.copyOf(violations);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		// before the pool starts (Hikari starts on the first connection): its connections
		// come from here from then on
		if (bean instanceof HikariDataSource hikari && hikari.getDataSource() == null && hikari.getJdbcUrl() != null
				&& hikari.getHikariPoolMXBean() == null) {
			DataSource driver = new DriverDataSource(hikari.getJdbcUrl(), hikari.getDriverClassName(),
					hikari.getDataSourceProperties(), hikari.getUsername(), hikari.getPassword());
			hikari.setDataSource(new CheckedDataSource(driver));
		}
		return bean;
	}

	/**
	 * Null when {@code sql} may run, else what is wrong with it (callers not yet
	 * considered).
	 */
	public static @Nullable String problem(String sql) {
		String text = withoutLiterals(withoutComments(sql));
		Matcher table = TABLE.matcher(text);
		if (!table.find() || SCHEMA_CHANGE.matcher(text).find()) {
			return null;
		}
		if (CONDITION.matcher(text).find()) {
			return null;
		}
		Matcher insert = INSERT.matcher(text);
		if (insert.find() && insert.group(1).toLowerCase(Locale.ROOT).matches("(?s).*\\btenant_id\\b.*")
				&& !text.toLowerCase(Locale.ROOT).matches("(?s).*\\bselect\\b.*\\bfrom\\s+\"?rv_session.*")) {
			return null;
		}
		return "touches " + table.group(1) + " without a tenant condition";
	}

	private static final java.util.concurrent.atomic.AtomicLong checked = new java.util.concurrent.atomic.AtomicLong();

	/** How many statements touching tenant data have been checked in this JVM. */
	public static long checked() {
		return checked.get();
	}

	static void check(String sql) throws SQLException {
		if (TABLE.matcher(sql).find()) {
			checked.incrementAndGet();
		}
		String problem = problem(sql);
		if (problem == null) {
			return;
		}
		Optional<String> caller = caller();
		if (caller.isEmpty()) {
			return;
		}
		String message = "Statement from " + caller.get() + " " + problem + ": " + sql;
		violations.add(message);
		log.error(message);
		throw new SQLException(message, "XX000");
	}

	/**
	 * The service's method that sent the statement, or none when it is one the check
	 * leaves alone: from Flyway, from test code, or from an all-tenants caller.
	 */
	private static Optional<String> caller() {
		return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk((frames) -> {
			List<StackWalker.StackFrame> all = frames.toList();
			if (all.stream().anyMatch((frame) -> frame.getClassName().startsWith("org.flywaydb."))) {
				return Optional.empty();
			}
			for (StackWalker.StackFrame frame : all) {
				String name = frame.getClassName() + "." + frame.getMethodName();
				if (!frame.getClassName().startsWith("io.rvfeed.")
						|| frame.getDeclaringClass() == TenantConditionCheck.class
						|| frame.getDeclaringClass().getEnclosingClass() == TenantConditionCheck.class) {
					continue;
				}
				if (fromTests(frame.getDeclaringClass()) && !checkingTests.get()
						|| ALL_TENANTS.stream().anyMatch((prefix) -> name.startsWith(prefix))) {
					return Optional.empty();
				}
				return Optional.of(name + ":" + frame.getLineNumber());
			}
			// not sent by the service's code (a pool's own check)
			return Optional.empty();
		});
	}

	private static boolean fromTests(Class<?> type) {
		CodeSource source = type.getProtectionDomain().getCodeSource();
		return source != null && source.getLocation() != null
				&& source.getLocation().toString().contains("test-classes");
	}

	private static String withoutComments(String sql) {
		return sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ");
	}

	private static final Pattern LITERAL = Pattern.compile("'(?:[^']|'')*'");

	private static final Pattern UUID_LITERAL = Pattern.compile("'[0-9a-fA-F-]{36}'");

	/** Text literals emptied, except those that are a UUID (a tenant id inlined). */
	private static String withoutLiterals(String sql) {
		return LITERAL.matcher(sql)
			.replaceAll((literal) -> UUID_LITERAL.matcher(literal.group()).matches() ? literal.group() : "''");
	}

	/**
	 * A data source whose connections check every statement before it is prepared or run.
	 */
	static final class CheckedDataSource implements DataSource {

		private final DataSource target;

		CheckedDataSource(DataSource target) {
			this.target = target;
		}

		@Override
		public Connection getConnection() throws SQLException {
			return checked(this.target.getConnection());
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return checked(this.target.getConnection(username, password));
		}

		private static Connection checked(Connection connection) {
			return (Connection) Proxy.newProxyInstance(TenantConditionCheck.class.getClassLoader(),
					new Class<?>[] { Connection.class }, new Checking(connection));
		}

		@Override
		public PrintWriter getLogWriter() throws SQLException {
			return this.target.getLogWriter();
		}

		@Override
		public void setLogWriter(PrintWriter out) throws SQLException {
			this.target.setLogWriter(out);
		}

		@Override
		public void setLoginTimeout(int seconds) throws SQLException {
			this.target.setLoginTimeout(seconds);
		}

		@Override
		public int getLoginTimeout() throws SQLException {
			return this.target.getLoginTimeout();
		}

		@Override
		public Logger getParentLogger() {
			return Logger.getLogger("io.rvfeed");
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			return this.target.unwrap(type);
		}

		@Override
		public boolean isWrapperFor(Class<?> type) throws SQLException {
			return this.target.isWrapperFor(type);
		}

	}

	/** Checks the SQL of prepared statements, and wraps plain statements to do so. */
	private record Checking(Object target) implements InvocationHandler {

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			String name = method.getName();
			if (args != null && args.length > 0 && args[0] instanceof String sql
					&& (name.startsWith("prepare") || name.startsWith("execute") || name.equals("addBatch"))) {
				check(sql);
			}
			if ((name.equals("unwrap") || name.equals("isWrapperFor")) && args != null
					&& args[0] instanceof Class<?> type && type.isInstance(proxy)) {
				return name.equals("unwrap") ? proxy : true;
			}
			try {
				Object result = method.invoke(this.target, args);
				if (result instanceof Statement statement && !(result instanceof java.sql.PreparedStatement)) {
					return Proxy.newProxyInstance(TenantConditionCheck.class.getClassLoader(),
							new Class<?>[] { Statement.class }, new Checking(statement));
				}
				return result;
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

}
