package io.rvfeed.follow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.rvfeed.session.SessionRow;
import io.rvfeed.session.SessionState;
import io.rvfeed.support.CursorFeed;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.SessionFixtures;
import io.rvfeed.support.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code follow} as operators run it: a process of its own, killed with SIGKILL
 * mid-stream and started again.
 */
@IntegrationTest
class FollowCommandIT {

	private static final int SESSIONS = 1200;

	@LocalServerPort
	int port;

	@Autowired
	TestTenants tenants;

	@Autowired
	SessionFixtures fixtures;

	@TempDir
	Path dir;

	TestTenants.TestTenant tenant;

	@BeforeEach
	void setUp() throws IOException {
		this.tenant = this.tenants.create();
		Files.writeString(this.dir.resolve("key"), this.tenant.key() + "\n");
	}

	private void insertSessions(int n) {
		List<SessionRow> rows = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			Instant start = SessionFixtures.BASE.plusSeconds(60L * i);
			rows.add(this.fixtures.session(this.tenant)
				.state((i % 2 == 0) ? SessionState.TERMINATED : SessionState.ACTIVE)
				.startedAt(start)
				.endedAt((i % 2 == 0) ? start.plusSeconds(30) : null)
				.reason((i % 3 == 0) ? "line one\nline = two | \\ three" : null)
				.build());
		}
		this.fixtures.insert(rows);
	}

	/**
	 * The tenant's events once at least {@code atLeast} show (a fold may hold them back a
	 * moment).
	 */
	private List<String> expectedEventIds(int atLeast) {
		return new CursorFeed(new HttpApi(this.port), this.tenant.key(), "/api/v2/rv-session-events/", "limit=1000")
			.drainAtLeast(atLeast)
			.stream()
			.map((e) -> e.get("event_id").asString())
			.toList();
	}

	private ProcessBuilder follow(String... extra) {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), "io.rvfeed.RvFeedApplication", "follow", "--url",
						"http://localhost:" + this.port, "--key-file", this.dir.resolve("key").toString(),
						"--state-file", this.dir.resolve("state").toString()));
		command.addAll(List.of(extra));
		return new ProcessBuilder(command).redirectError(this.dir.resolve("stderr.txt").toFile());
	}

	private long lines(Path file) throws IOException {
		if (!Files.exists(file)) {
			return 0;
		}
		try (var lines = Files.lines(file)) {
			return lines.count();
		}
	}

	@Test
	void killedMidStreamAndRestartedItWritesEveryRecordExactlyOnce() throws Exception {
		insertSessions(SESSIONS);
		List<String> expected = expectedEventIds(2 * SESSIONS + 1);
		assertThat(expected).hasSizeGreaterThan(2 * SESSIONS);
		Path output = this.dir.resolve("events.ndjson");
		int kills = 0;
		for (long killAt : List.of(300L, 1200L, 2400L)) {
			Process process = follow("--output", output.toString(), "--limit", "20", "--interval", "0.2").start();
			Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
			while (lines(output) < killAt && process.isAlive() && Instant.now().isBefore(deadline)) {
				Thread.sleep(5);
			}
			assertThat(process.isAlive())
				.as("still following when killed: " + Files.readString(this.dir.resolve("stderr.txt")))
				.isTrue();
			process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			kills++;
		}
		assertThat(kills).isEqualTo(3);
		// the last run goes on to the end
		Process last = follow("--output", output.toString(), "--limit", "20", "--once").start();
		assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(last.exitValue()).as(Files.readString(this.dir.resolve("stderr.txt"))).isZero();

		List<String> written = Files.readAllLines(output)
			.stream()
			.map((line) -> HttpApi.json(line).get("event_id").asString())
			.toList();
		assertThat(written).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
		JsonNode lastRecord = HttpApi.json(Files.readAllLines(output).get(written.size() - 1));
		assertThat(Files.readString(this.dir.resolve("state")).strip()).isEqualTo(lastRecord.get("cursor").asString());
	}

	@Test
	void onStdoutItWritesCefAndGoesOnWhereItStopped() throws Exception {
		insertSessions(40);
		List<String> first = expectedEventIds(1);
		Path out1 = this.dir.resolve("out1.cef");
		Process run = follow("--format", "cef", "--once").redirectOutput(out1.toFile()).start();
		assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(run.exitValue()).as(Files.readString(this.dir.resolve("stderr.txt"))).isZero();
		List<String> lines = Files.readAllLines(out1);
		assertThat(lines).hasSize(first.size()).allSatisfy((line) -> assertThat(line).startsWith("CEF:0|rv-feed|"));
		assertThat(lines).extracting((line) -> io.rvfeed.support.Cef.extensions(line).get("externalId"))
			.containsExactlyElementsOf(first);

		insertSessions(5);
		List<String> all = expectedEventIds(first.size() + 1);
		Path out2 = this.dir.resolve("out2.ndjson");
		Process again = follow("--once").redirectOutput(out2.toFile()).start();
		assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(again.exitValue()).isZero();
		assertThat(Files.readAllLines(out2)).extracting((line) -> HttpApi.json(line).get("event_id").asString())
			.containsExactlyElementsOf(all.subList(first.size(), all.size()));
	}

	@Test
	void aRefusedKeyEndsTheRunWithCodeOneAndTheReason() throws Exception {
		Files.writeString(this.dir.resolve("key"), "rvf_not-a-key-of-anyone\n");
		Process run = follow("--once").redirectOutput(this.dir.resolve("out").toFile()).start();
		assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(run.exitValue()).isEqualTo(1);
		assertThat(Files.readString(this.dir.resolve("stderr.txt"))).contains("401")
			.contains("The API key is invalid.");
		assertThat(Files.size(this.dir.resolve("out"))).isZero();
	}

}
