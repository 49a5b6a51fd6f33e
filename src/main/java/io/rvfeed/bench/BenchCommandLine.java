package io.rvfeed.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import io.rvfeed.feed.FeedRepository;
import io.rvfeed.feed.KeptCounts;

/**
 * Loads a benchmark dataset straight into the service's database with set-based SQL, on
 * an application context without a web server (so Flyway brings the schema up first):
 *
 * <pre>
 * java -jar rv-feed.jar bench generate [--sessions 10000000] [--tenants 1000] [--big-tenant-sessions N]
 *     [--events all|none] [--seed 0.42]
 * java -jar rv-feed.jar bench sql --tenant UUID --query 'states=FAILED&amp;ordering=-duration'
 * </pre>
 *
 * The second prints the count and page SQL the service sends for that feed query, values
 * inlined, for pgbench. Tenant 0 ({@code md5('rvfeed-bench-tenant-0')}, named
 * {@code bench-big}) holds {@code --big-tenant-sessions} (default a fifth) of the
 * sessions; the others a power-law long tail. Adds to what is there; generate into an
 * empty database.
 */
public final class BenchCommandLine {

	static final String USAGE = """
			Usage:
			  bench generate [--sessions N] [--tenants N] [--big-tenant-sessions N] [--events all|none] [--seed 0..1]
			  bench sql --tenant UUID --query QUERY_STRING
			The database is SPRING_DATASOURCE_URL's, or the embedded one under ./data (stop the service first).""";

	private BenchCommandLine() {
	}

	public static boolean handles(String[] args) {
		return args.length > 0 && args[0].equals("bench");
	}

	public static int run(Class<?> application, String[] args) {
		List<String> springArgs = new ArrayList<>(List.of("--rvfeed.cli.enabled=true", "--rvfeed.demo.enabled=false",
				"--spring.main.banner-mode=off", "--rvfeed.feed-counts.compact-interval=1h"));
		Map<String, String> options = new HashMap<>();
		if (args.length < 2 || !(args[1].equals("generate") || args[1].equals("sql"))) {
			System.err.println(USAGE);
			return 2;
		}
		for (int i = 2; i < args.length; i++) {
			String arg = args[i];
			if (arg.startsWith("--spring.") || arg.startsWith("--rvfeed.") || arg.startsWith("--logging.")) {
				springArgs.add(arg);
			}
			else if (arg.startsWith("--") && i + 1 < args.length) {
				options.put(arg.substring(2), args[++i]);
			}
			else {
				System.err.println("Unexpected argument: " + arg);
				System.err.println(USAGE);
				return 2;
			}
		}
		if (args[1].equals("sql")) {
			return printSql(application, springArgs, options);
		}
		Generation generation;
		try {
			generation = Generation.of(options);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.println(USAGE);
			return 2;
		}
		try (ConfigurableApplicationContext context = startWithoutWeb(application, springArgs)) {
			generation.run(context.getBean(DataSource.class), System.out);
			return 0;
		}
		catch (SQLException | IOException ex) {
			System.err.println("Generating failed: " + ex.getMessage());
			return 1;
		}
	}

	private static ConfigurableApplicationContext startWithoutWeb(Class<?> application, List<String> springArgs) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("logging.level.root=warn")
			.run(springArgs.toArray(String[]::new));
	}

	private static int printSql(Class<?> application, List<String> springArgs, Map<String, String> options) {
		String tenant = options.get("tenant");
		String query = options.getOrDefault("query", "");
		if (tenant == null) {
			System.err.println(USAGE);
			return 2;
		}
		Map<String, List<String>> grouped = new LinkedHashMap<>();
		for (String pair : query.split("&")) {
			if (!pair.isEmpty()) {
				int equals = pair.indexOf('=');
				String name = (equals < 0) ? pair : pair.substring(0, equals);
				String value = (equals < 0) ? "" : pair.substring(equals + 1);
				grouped.computeIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), (k) -> new ArrayList<>())
					.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
			}
		}
		Map<String, String[]> parameters = new LinkedHashMap<>();
		grouped.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
		try (ConfigurableApplicationContext context = startWithoutWeb(application, springArgs)) {
			System.out
				.println(context.getBean(FeedRepository.class).inlinedSql(UUID.fromString(tenant), parameters) + ";");
			return 0;
		}
	}

	record Generation(long sessions, int tenants, long bigTenantSessions, boolean events, double seed) {

		static Generation of(Map<String, String> options) {
			for (String name : options.keySet()) {
				if (!List.of("sessions", "tenants", "big-tenant-sessions", "events", "seed").contains(name)) {
					throw new IllegalArgumentException("Unknown option --" + name);
				}
			}
			long sessions = number(options, "sessions", 10_000_000);
			int tenants = (int) number(options, "tenants", 1000);
			long big = number(options, "big-tenant-sessions", sessions / 5);
			String events = options.getOrDefault("events", "all");
			if (!events.equals("all") && !events.equals("none")) {
				throw new IllegalArgumentException("--events is all or none");
			}
			double seed = Double.parseDouble(options.getOrDefault("seed", "0.42"));
			if (tenants < 1 || sessions < 1 || big < 0 || big > sessions || (tenants == 1 && big != sessions)
					|| seed < -1 || seed > 1) {
				throw new IllegalArgumentException("Need sessions >= 1, 1 <= tenants, 0 <= big-tenant-sessions"
						+ " <= sessions (all of them with one tenant), -1 <= seed <= 1");
			}
			return new Generation(sessions, tenants, big, events.equals("all"), seed);
		}

		private static long number(Map<String, String> options, String name, long fallback) {
			String value = options.get(name);
			try {
				return (value != null) ? Long.parseLong(value.replace("_", "")) : fallback;
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("--" + name + " must be a whole number");
			}
		}

		void run(DataSource dataSource, PrintStream out) throws SQLException, IOException {
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				connection.setAutoCommit(false);
				long start = System.nanoTime();
				// building an index once is several times faster
				// than growing it row by row
				statement.execute("set maintenance_work_mem = '512MB'");
				List<String> indexes = new ArrayList<>();
				List<String> dropped = new ArrayList<>();
				try (var rows = statement.executeQuery("""
						select i.indexname, i.indexdef from pg_indexes i
						where i.schemaname = current_schema() and i.tablename in ('rv_session', 'rv_session_event')
						  and not exists (select 1 from pg_constraint c where c.conname = i.indexname)""")) {
					while (rows.next()) {
						indexes.add(rows.getString(2));
						dropped.add(rows.getString(1));
					}
				}
				for (String index : dropped) {
					statement.execute("drop index " + index);
				}
				statement.execute(sql("bench/generate-sessions.sql"));
				// fold the bulk insert's count and facet deltas right away
				for (KeptCounts kept : KeptCounts.values()) {
					statement.execute(kept.foldSql());
				}
				connection.commit();
				out.printf("sessions: %,d in %.1f s%n", this.sessions, seconds(start));
				if (this.events) {
					start = System.nanoTime();
					int events = statement.executeUpdate(sql("bench/generate-events.sql"));
					connection.commit();
					out.printf("events:   %,d in %.1f s%n", events, seconds(start));
				}
				start = System.nanoTime();
				for (String index : indexes) {
					statement.execute(index);
				}
				connection.commit();
				out.printf("indexes:  %d rebuilt in %.1f s%n", indexes.size(), seconds(start));
				connection.setAutoCommit(true);
				start = System.nanoTime();
				// index-only scans need the visibility map, the planner fresh statistics
				statement.execute("vacuum (analyze) rv_session");
				statement.execute("vacuum (analyze) rv_session_event");
				statement.execute("vacuum (analyze) rv_session_facet_count");
				statement.execute("vacuum (analyze) rv_session_facet_delta");
				out.printf("vacuum:   %.1f s%n", seconds(start));
				out.println("big tenant: " + bigTenant(statement));
			}
		}

		private static String bigTenant(Statement statement) throws SQLException {
			try (var rows = statement.executeQuery("select md5('rvfeed-bench-tenant-0')::uuid")) {
				rows.next();
				return rows.getString(1);
			}
		}

		private String sql(String resource) throws IOException {
			return new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8)
				.replace("${sessions}", Long.toString(this.sessions))
				.replace("${tenants}", Integer.toString(this.tenants))
				.replace("${big}", Long.toString(this.bigTenantSessions))
				.replace("${seed}", Double.toString(this.seed));
		}

		private static double seconds(long start) {
			return (System.nanoTime() - start) / 1e9;
		}

	}

}
