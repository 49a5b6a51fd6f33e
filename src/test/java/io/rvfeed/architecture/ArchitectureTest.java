package io.rvfeed.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-way dependencies between the packages of {@code io.rvfeed}, checked over
 * {@code src/main/java}.
 * <p>
 * {@link #MAY_USE} is the rule: one row per top-level package, naming every package it
 * may use. A new package (say {@code webhook}) declares what it may use by adding its row
 * here, listing only packages that already have a row; it then sits above them, and none
 * of them may use it unless its own row says so. The table must stay free of cycles
 * ({@link #theTableHasNoCycle}), so the arrows always point down. A package without a
 * row, or a use its row does not list, fails
 * {@link #everyPackageUsesOnlyWhatItsRowAllows} with the file and line.
 */
class ArchitectureTest {

	static final Map<String, Set<String>> MAY_USE = table(
			// the embedded PostgreSQL, its backup, the database alone for commands, and
			// where
			// reads go (ReadDatabase: the primary or a read replica)
			row("db", "web"),
			// the log format and tracing switches, SQL spans
			row("observability"),
			// the shared bottom: the error body, request headers, JSON bodies and times,
			// request limits and the request log
			row("web"),
			// per-key token buckets
			row("ratelimit", "web"),
			// tenants, API keys, bearer security, operator tokens
			row("auth", "ratelimit", "web", "db"),
			// the write API, the lifecycle rules and the session's view (FeedItem)
			row("session", "auth", "ratelimit", "web", "db"),
			// the read API: feed pages, counts, export, live stream
			row("feed", "session", "auth", "ratelimit", "web", "db"),
			// insights: exact statistics over the feed's filters
			row("stats", "feed", "session", "auth", "ratelimit", "web", "db"),
			// the events feed by cursor and its export (CEF too)
			row("events", "session", "auth", "ratelimit", "web", "db"),
			// the follow command: an HTTP client of the events feed
			row("follow", "events", "session", "auth", "ratelimit", "web"),
			// the benchmark's data generator and SQL printer
			row("bench", "feed", "session", "auth", "ratelimit", "web", "db"),
			// the admin audit log: recorded by every admin feature, read at /admin/audit
			row("audit", "web"),
			// retention, tenant deletion, erasure of a person
			row("lifecycle", "audit", "auth", "ratelimit", "web", "db"),
			// the admin API and command line
			row("admin", "audit", "auth", "ratelimit", "web", "db"),
			// demo data for a first run
			row("demo", "session", "auth", "ratelimit", "web", "db"),
			// the OpenAPI document and /docs
			row("docs", "web"),
			// signed webhooks: endpoints, the outbox's delivery, the delivery log and
			// replay
			row("webhook", "audit", "events", "session", "auth", "ratelimit", "web", "db"),
			// the jar's command line (picocli)
			row("cli", "lifecycle", "audit", "admin", "bench", "follow", "events", "feed", "session", "auth",
					"ratelimit", "web", "db"),
			// the entry point: the application class and its command lines
			row(PackageRule.ROOT, "cli", "webhook", "observability", "stats", "bench", "follow", "events", "feed",
					"session", "auth", "ratelimit", "web", "admin", "demo", "docs", "db", "audit", "lifecycle"));

	static final Path SOURCES = Path.of("src", "main", "java");

	static final Path PACKAGES = SOURCES.resolve(Path.of("io", "rvfeed"));

	@Test
	void everyPackageUsesOnlyWhatItsRowAllows() {
		assertThat(new PackageRule(MAY_USE).check(SOURCES)).isEmpty();
	}

	@Test
	void everyPackageHasARow() throws IOException {
		try (Stream<Path> entries = Files.list(PACKAGES)) {
			List<String> packages = entries.filter(Files::isDirectory)
				.map((dir) -> dir.getFileName().toString())
				.toList();
			assertThat(MAY_USE.keySet()).containsAll(packages);
		}
	}

	@Test
	void theTableHasNoCycle() {
		List<String> layers = PackageRule.layers(MAY_USE);
		assertThat(layers).containsExactlyInAnyOrderElementsOf(MAY_USE.keySet());
		// the chain of the features, bottom first
		assertThat(layers).containsSubsequence("web", "ratelimit", "auth", "session", "feed", "bench");
		assertThat(layers).containsSubsequence("auth", "admin");
	}

	@Test
	void everyPackageHasAPackageInfo() throws IOException {
		try (Stream<Path> entries = Files.list(PACKAGES)) {
			List<Path> packages = Stream.concat(Stream.of(PACKAGES), entries.filter(Files::isDirectory)).toList();
			for (Path dir : packages) {
				Path info = dir.resolve("package-info.java");
				assertThat(info).as(dir.toString()).exists();
				assertThat(Files.readString(info)).as(info.toString()).contains("@NullMarked");
			}
		}
	}

	/** Every real source file, given an import of each package its row does not list. */
	@Test
	void aWrongWayImportInAnyRealFileFails() throws IOException {
		PackageRule rule = new PackageRule(MAY_USE);
		int checked = 0;
		try (Stream<Path> files = Files.walk(SOURCES)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				String source = Files.readString(file);
				String from = PackageRule.declaredPackage(source);
				for (String to : MAY_USE.keySet()) {
					if (to.equals(from) || to.equals(PackageRule.ROOT) && from.equals(PackageRule.ROOT)
							|| MAY_USE.get(from).contains(to)) {
						continue;
					}
					String type = to.equals(PackageRule.ROOT) ? "io.rvfeed.RvFeedApplication"
							: "io.rvfeed." + to + ".X";
					String bad = source.replaceFirst("(?m)^(package [\\w.]+;)", "$1\n\nimport " + type + ";");
					assertThat(rule.check(file.toString(), bad)).as(file + " importing " + type).hasSize(1);
					checked++;
				}
			}
		}
		assertThat(checked).isGreaterThan(100);
	}

	private static Map.Entry<String, Set<String>> row(String name, String... mayUse) {
		return Map.entry(name, new LinkedHashSet<>(Arrays.asList(mayUse)));
	}

	@SafeVarargs
	private static Map<String, Set<String>> table(Map.Entry<String, Set<String>>... rows) {
		Map<String, Set<String>> table = new LinkedHashMap<>();
		for (Map.Entry<String, Set<String>> row : rows) {
			table.put(row.getKey(), Set.copyOf(row.getValue()));
		}
		return table;
	}

}
