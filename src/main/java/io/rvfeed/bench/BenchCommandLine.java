package io.rvfeed.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
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

import org.springframework.core.io.ClassPathResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.rvfeed.auth.ApiKeyStorage;
import io.rvfeed.db.DatabaseSettings;
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
@Command(name = "bench", description = "Load a benchmark dataset; print the SQL of a feed query.",
		footer = BenchCommandLine.DATABASE_FOOTER, mixinStandardHelpOptions = true)
public final class BenchCommandLine {

	static final String DATABASE_FOOTER = "%nThe database is SPRING_DATASOURCE_URL's, or the embedded one under ./data "
			+ "(stop the service first). Settings such as --spring.datasource.url=... may follow the options.";

	@Spec
	CommandSpec spec;

	@Command(name = "generate", description = "Add a benchmark dataset (set-based SQL) to the database.",
			footer = DATABASE_FOOTER, mixinStandardHelpOptions = true)
	int generate(
			@Option(names = "--sessions", paramLabel = "N",
					description = "Sessions in all (default 10000000).") String sessions,
			@Option(names = "--tenants", paramLabel = "N", description = "Tenants (default 1000).") String tenants,
			@Option(names = "--big-tenant-sessions", paramLabel = "N",
					description = "Sessions of tenant 0 (default a fifth).") String bigTenantSessions,
			@Option(names = "--events", paramLabel = "all|none",
					description = "Timelines (default all).") String events,
			@Option(names = "--seed", paramLabel = "-1..1", description = "Random seed (default 0.42).") String seed,
			@Mixin DatabaseSettings settings) {
		Map<String, String> options = new HashMap<>();
		putIfGiven(options, "sessions", sessions);
		putIfGiven(options, "tenants", tenants);
		putIfGiven(options, "big-tenant-sessions", bigTenantSessions);
		putIfGiven(options, "events", events);
		putIfGiven(options, "seed", seed);
		Generation generation;
		try {
			generation = Generation.of(options);
		}
		catch (IllegalArgumentException ex) {
			throw new ParameterException(this.spec.commandLine(), ex.getMessage());
		}
		return settings.with(DataSource.class, (dataSource) -> {
			try {
				generation.run(dataSource, System.out);
				return 0;
			}
			catch (SQLException | IOException ex) {
				this.spec.commandLine().getErr().println("Generating failed: " + ex.getMessage());
				return 1;
			}
		}, ApiKeyStorage.components());
	}

	@Command(name = "sql", description = "Print the SQL the service sends for a feed query, values inlined.",
			footer = DATABASE_FOOTER, mixinStandardHelpOptions = true)
	int sql(@Option(names = "--tenant", required = true, paramLabel = "UUID") UUID tenant,
			@Option(names = "--query", paramLabel = "QUERY_STRING", defaultValue = "",
					description = "The feed's query string, e.g. 'states=FAILED&ordering=-duration'.") String query,
			@Mixin DatabaseSettings settings) {
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
		List<Class<?>> components = new ArrayList<>(ApiKeyStorage.components());
		components.add(FeedRepository.class);
		String sql = settings.with(FeedRepository.class, (feed) -> feed.inlinedSql(tenant, parameters), components);
		PrintWriter out = this.spec.commandLine().getOut();
		out.println(sql + ";");
		out.flush();
		return 0;
	}

	private static void putIfGiven(Map<String, String> options, String name, String value) {
		if (value != null) {
			options.put(name, value);
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
				statement.execute(sql("bench/stats-cells.sql"));
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
				statement.execute("vacuum (analyze) rv_session_joint_count");
				statement.execute("vacuum (analyze) rv_session_joint_delta");
				statement.execute("vacuum (analyze) rv_stats_cell");
				statement.execute("vacuum (analyze) rv_stats_delta");
				statement.execute("vacuum (analyze) rv_stats_value_cell");
				statement.execute("vacuum (analyze) rv_stats_value_delta");
				statement.execute("vacuum (analyze) rv_stats_device_count");
				statement.execute("vacuum (analyze) rv_stats_device_delta");
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
