package io.rvfeed.follow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code follow} treats answers it can retry (429 after Retry-After, 5xx with growing
 * backoff) and those it cannot, against a stand-in server on loopback.
 */
class FollowRetryTest {

	private static final String RECORD = "{\"event_id\":\"%s\",\"session_id\":\"3d8de18d-d8d1-4dbb-a014-0e2da19222fe\","
			+ "\"device_id\":\"9b0f3c4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f\",\"device_name\":\"Kiosk\",\"state\":\"ACTIVE\","
			+ "\"occurred_at\":\"2026-11-20T09:12:11.500Z\",\"recorded_at\":\"2026-11-20T09:12:11.600Z\",\"reason\":null,"
			+ "\"updated_by\":\"device\",\"effect\":\"applied\",\"session_state\":\"ACTIVE\",\"cursor\":\"%s\"}";

	@TempDir
	Path dir;

	HttpServer server;

	final List<String> requests = new CopyOnWriteArrayList<>();

	final List<Answer> script = new ArrayList<>();

	final AtomicInteger answered = new AtomicInteger();

	record Answer(int status, String retryAfter, String body) {
	}

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::answer);
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	private void answer(HttpExchange exchange) throws IOException {
		this.requests
			.add(exchange.getRequestURI().toString() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
		Answer answer = this.script.get(Math.min(this.answered.getAndIncrement(), this.script.size() - 1));
		if (answer.retryAfter() != null) {
			exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
		}
		byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(answer.status(), body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	private static String page(String next, boolean hasMore, String... ids) {
		List<String> records = new ArrayList<>();
		for (String id : ids) {
			records.add(RECORD.formatted("0193a5b2-7c4e-7a10-9d1e-3f6b8c2d4e5" + id, "c-" + id));
		}
		return "{\"content\":{\"results\":[" + String.join(",", records) + "],\"next_cursor\":\"" + next
				+ "\",\"has_more\":" + hasMore + "}}";
	}

	private int follow(ByteArrayOutputStream out, ByteArrayOutputStream err, List<Duration> slept, String... extra)
			throws IOException {
		Files.writeString(this.dir.resolve("key"), "rvf_secret-key\n");
		List<String> args = new ArrayList<>(List.of("--url",
				"http://127.0.0.1:" + this.server.getAddress().getPort() + "/", "--key-file",
				this.dir.resolve("key").toString(), "--state-file", this.dir.resolve("state").toString(), "--once"));
		args.addAll(List.of(extra));
		FollowCommand command = new FollowCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), slept::add);
		return FollowCommand.commandLine(command).execute(args.toArray(String[]::new));
	}

	@Test
	void waitsRetryAfterOn429AndBacksOffOnServerErrors() throws IOException {
		this.script.add(new Answer(429, "7", "{}"));
		this.script.add(new Answer(503, null, "{}"));
		this.script.add(new Answer(500, null, "{}"));
		this.script.add(new Answer(200, null, page("c-2", false, "1", "2")));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		List<Duration> slept = new ArrayList<>();
		assertThat(follow(out, err, slept)).isZero();
		assertThat(slept).hasSize(3);
		assertThat(slept.get(0)).isEqualTo(Duration.ofSeconds(7));
		assertThat(slept.get(1)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
		assertThat(slept.get(2)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(3000));
		assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(2)
			.allSatisfy((line) -> assertThat(line).startsWith("{\"event_id\":\"0193a5b2-7c4e-7a10-9d1e-3f6b8c2d4e5"));
		assertThat(Files.readString(this.dir.resolve("state")).strip()).isEqualTo("c-2");
		assertThat(this.requests).hasSize(4)
			.allSatisfy((request) -> assertThat(request).startsWith("/api/v2/rv-session-events/?limit=1000 ")
				.endsWith("Bearer rvf_secret-key"));
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("429").contains("503").contains("500");
	}

	@Test
	void goesOnFromTheSavedCursorPageAfterPage() throws IOException {
		Files.writeString(this.dir.resolve("state"), "c-0\n");
		this.script.add(new Answer(200, null, page("c-1", true, "1")));
		this.script.add(new Answer(200, null, page("c-2", false, "2")));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertThat(follow(out, new ByteArrayOutputStream(), new ArrayList<>(), "--format", "cef", "--limit", "1",
				"--query", "states=ACTIVE"))
			.isZero();
		assertThat(this.requests).extracting((r) -> r.split(" ")[0])
			.containsExactly("/api/v2/rv-session-events/?limit=1&states=ACTIVE&cursor=c-0",
					"/api/v2/rv-session-events/?limit=1&states=ACTIVE&cursor=c-1");
		assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(2)
			.allSatisfy((line) -> assertThat(line).startsWith("CEF:0|rv-feed|rv-feed|"));
		assertThat(Files.readString(this.dir.resolve("state")).strip()).isEqualTo("c-2");
	}

	@Test
	void aRefusalEndsTheRunWithItsMessageAndKeepsTheCursor() throws IOException {
		Files.writeString(this.dir.resolve("state"), "c-5\n");
		this.script.add(new Answer(410, null,
				"{\"errors\":[\"gone\"],\"message\":\"Parameter 'cursor' points before the oldest record.\",\"status\":410,\"code\":410,\"content\":{}}"));
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertThat(follow(out, err, new ArrayList<>())).isEqualTo(1);
		assertThat(err.toString(StandardCharsets.UTF_8))
			.contains("410 Parameter 'cursor' points before the oldest record.");
		assertThat(out.size()).isZero();
		assertThat(Files.readString(this.dir.resolve("state")).strip()).isEqualTo("c-5");
	}

	@Test
	void badOptionsAreUsageErrors() throws IOException {
		this.script.add(new Answer(200, null, page("c", false)));
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		assertThat(follow(new ByteArrayOutputStream(), err, new ArrayList<>(), "--format", "xml")).isEqualTo(2);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("--format");
		assertThat(this.requests).isEmpty();
	}

}
