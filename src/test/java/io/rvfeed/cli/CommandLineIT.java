package io.rvfeed.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar's command line: help for every command exits 0 without starting anything, a
 * mistake exits 2 with the usage.
 */
class CommandLineIT {

	private static final Path JAR = Path.of("target", "rv-feed.jar").toAbsolutePath();

	@TempDir
	Path workingDirectory;

	@Test
	void helpPrintsTheUsageQuicklyAndStartsNothing() throws Exception {
		assertThat(JAR).as("the packaged jar; run ./mvnw verify, which packages before integration tests").exists();
		long fastest = Long.MAX_VALUE;
		for (int i = 0; i < 3; i++) {
			long started = System.nanoTime();
			Run help = runJar("--help");
			fastest = Math.min(fastest, System.nanoTime() - started);
			assertThat(help.code()).isZero();
			assertThat(help.out()).startsWith("Usage: rv-feed")
				.contains("tenants", "keys", "backup", "restore", "bench", "--server.port=9090");
			assertThat(help.out() + help.err()).doesNotContain("Tomcat", "PostgreSQL", "Started");
		}
		// no embedded database was made in the working directory
		assertThat(this.workingDirectory.resolve("data")).doesNotExist();
		assertThat(TimeUnit.NANOSECONDS.toMillis(fastest)).as("milliseconds for --help").isLessThan(3000);
	}

	@Test
	void anUnknownCommandExitsTwoWithTheUsage() throws Exception {
		Run unknown = runJar("fly");
		assertThat(unknown.code()).isEqualTo(2);
		assertThat(unknown.err()).contains("'fly'").contains("Usage: rv-feed");
		assertThat(this.workingDirectory.resolve("data")).doesNotExist();
	}

	@Test
	void everyCommandsHelpExitsZero() {
		List<String> paths = new ArrayList<>();
		collect(RvFeedCommandLine.commandLine(List.of()), "", paths);
		assertThat(paths).contains("tenants create", "tenants list", "keys create", "keys list", "keys revoke",
				"keys rotate", "keys rate-limit", "bench generate", "bench sql", "backup", "restore");
		for (String path : paths) {
			List<String> args = new ArrayList<>(List.of(path.split(" ")));
			args.add("--help");
			Output output = execute(args.toArray(String[]::new));
			assertThat(output.code()).as(path).isZero();
			assertThat(output.out()).as(path).startsWith("Usage: rv-feed " + path);
		}
		assertThat(execute("help", "keys").out()).startsWith("Usage: rv-feed keys");
		assertThat(execute("--version").out()).startsWith("rv-feed ").contains("commit");
	}

	@Test
	void mistakesAreUsageErrors() {
		for (String[] args : List.of(new String[] { "keys", "fly" }, new String[] { "tenants" },
				new String[] { "tenants", "list", "--bogus=1" }, new String[] { "tenants", "list", "--spring" },
				new String[] { "tenants", "list", "extra" }, new String[] { "keys", "list" },
				new String[] { "keys", "list", "--tenant", "not-a-uuid" },
				new String[] { "bench", "generate", "--events", "some" }, new String[] { "backup" })) {
			Output output = execute(args);
			assertThat(output.code()).as(String.join(" ", args)).isEqualTo(2);
			assertThat(output.err()).as(String.join(" ", args)).contains("Usage: rv-feed");
		}
	}

	private static void collect(CommandLine command, String prefix, List<String> paths) {
		command.getSubcommands().forEach((name, sub) -> {
			if (!name.equals("help")) {
				String path = (prefix + " " + name).trim();
				paths.add(path);
				collect(sub, path, paths);
			}
		});
	}

	private static Output execute(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = RvFeedCommandLine.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
		return new Output(code, out.toString(), err.toString());
	}

	private Run runJar(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
		command.addAll(List.of(args));
		Path out = Files.createTempFile(this.workingDirectory, "out", ".txt");
		Path err = Files.createTempFile(this.workingDirectory, "err", ".txt");
		Process process = new ProcessBuilder(command).directory(this.workingDirectory.toFile())
			.redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
				Files.readString(err, StandardCharsets.UTF_8));
	}

	record Run(int code, String out, String err) {
	}

	record Output(int code, String out, String err) {
	}

}
