package io.rvfeed.observability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rvfeed.support.OperationsGuide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service as an operator runs it with {@code RVFEED_LOG_FORMAT=json},
 * {@code RVFEED_TRACING_ENDPOINT} and {@code RVFEED_TRUSTED_PROXIES}: each request log
 * field documented in docs/operations.md is a JSON field with the right value, request
 * ids come and go in {@code X-Request-Id}, {@code X-Forwarded-For} counts only from a
 * trusted proxy, and an in-process OTLP/HTTP receiver gets the feed request's span with
 * its database statements inside.
 */
class ObservabilityIT {

	private static final Path JAR = Path.of("target", "rv-feed.jar").toAbsolutePath();

	private static final String FEED = "/api/v2/rv-activity-feed/?limit=1";

	/** What ECS puts in every line, beside the request log's own fields. */
	private static final Set<String> ECS_MEMBERS = Set.of("@timestamp", "log", "process", "service", "message", "ecs",
			"traceId", "spanId", "request_id", "client_ip", "tenant_id", "key_id");

	@TempDir
	Path temp;

	final List<Span> spans = new CopyOnWriteArrayList<>();

	@Test
	void jsonRequestLogsIdsClientAddressesAndTraces() throws Exception {
		assertThat(JAR).as("the packaged jar; run ./mvnw verify, which packages before integration tests").exists();
		HttpServer receiver = otlpReceiver();
		int port = freePort();
		String key = "rvf_observability-" + UUID.randomUUID();
		UUID tenant = UUID.randomUUID();
		Path log = this.temp.resolve("service.log");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", JAR.toString(), "--server.port=" + port,
				"--rvfeed.embedded-db.data-directory=" + this.temp.resolve("data").resolve("postgres"),
				"--rvfeed.embedded-db.non-durable-for-tests=true", "--rvfeed.embedded-db.delete-on-stop=true",
				"--rvfeed.demo.enabled=false", "--rvfeed.bootstrap.tenant=" + tenant,
				"--rvfeed.bootstrap.api-key=" + key, "--rvfeed.metrics.token=observability-metrics-token",
				"--rvfeed.api-keys.hash-secret-file=" + this.temp.resolve("data").resolve("key-hash-secret"),
				"--management.opentelemetry.tracing.export.schedule-delay=100ms")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		// the suite's second run points SPRING_DATASOURCE_* at the machine's server; this
		// service is the quick start's, on its own embedded database
		builder.environment()
			.keySet()
			.removeIf(name -> name.startsWith("SPRING_DATASOURCE_") || name.startsWith("RVFEED_"));
		builder.environment().put("RVFEED_LOG_FORMAT", "json");
		builder.environment()
			.put("RVFEED_TRACING_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces");
		builder.environment().put("RVFEED_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8");
		Process service = builder.start();
		try {
			HttpClient client = HttpClient.newHttpClient();
			waitUntilReady(client, port, service, log);

			// through two trusted proxies: the client is the last address they did not
			// add
			HttpResponse<String> proxied = client.send(feed(port, key).header("X-Request-Id", "obs-1")
				.header("X-Forwarded-For", "198.51.100.23, 10.1.2.3")
				.header("X-Caller-Id", "alice@acme.example")
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(proxied.statusCode()).isEqualTo(200);
			assertThat(proxied.headers().firstValue("X-Request-Id")).hasValue("obs-1");

			HttpResponse<String> malformedId = client.send(feed(port, key).header("X-Request-Id", "not an id!").build(),
					HttpResponse.BodyHandlers.ofString());
			String madeUp = malformedId.headers().firstValue("X-Request-Id").orElseThrow();
			assertThat(UUID.fromString(madeUp).toString()).isEqualTo(madeUp);

			// from 127.0.0.2, not a trusted proxy: its X-Forwarded-For is ignored
			String direct = rawGet("127.0.0.2", port, key, "obs-3", "198.51.100.99");
			assertThat(direct).startsWith("HTTP/1.1 200").contains("X-Request-Id: obs-3");

			JsonNode first = waitFor(() -> requestLine(log, "obs-1"), "the request log line of obs-1");
			Set<String> documented = OperationsGuide.names("| request log field");
			assertThat(documented).contains("request_id", "trace_id", "client_ip", "bytes");
			for (String field : documented) {
				assertThat(first.has(field)).as("request log field " + field + " in " + first).isTrue();
			}
			Iterator<String> names = first.fieldNames();
			while (names.hasNext()) {
				String name = names.next();
				assertThat(documented.contains(name) || ECS_MEMBERS.contains(name))
					.as(name + " is documented in docs/operations.md")
					.isTrue();
			}
			assertThat(first.get("method").asText()).isEqualTo("GET");
			assertThat(first.get("path").asText()).isEqualTo("/api/v2/rv-activity-feed/");
			assertThat(first.get("status").asInt()).isEqualTo(200);
			assertThat(first.get("duration_ms").asDouble()).isPositive();
			assertThat(first.get("bytes").asLong()).isEqualTo(proxied.body().getBytes(StandardCharsets.UTF_8).length);
			assertThat(first.get("client_ip").asText()).isEqualTo("198.51.100.23");
			assertThat(first.get("tenant_id").asText()).isEqualTo(tenant.toString());
			assertThat(UUID.fromString(first.get("key_id").asText())).isNotNull();
			assertThat(first.get("caller").asText()).isEqualTo("alice@acme.example");
			assertThat(first.get("trace_id").asText()).matches("[0-9a-f]{32}");
			assertThat(first.get("message").asText()).startsWith("GET /api/v2/rv-activity-feed/ -> 200");

			assertThat(waitFor(() -> requestLine(log, madeUp), "the line of the made-up id")).isNotNull();
			JsonNode third = waitFor(() -> requestLine(log, "obs-3"), "the request log line of obs-3");
			assertThat(third.get("client_ip").asText()).isEqualTo("127.0.0.2");
			assertThat(Files.readString(log)).as("no API key in the log").doesNotContain(key);

			String traceId = first.get("trace_id").asText();
			Span request = waitFor(() -> this.spans.stream()
				.filter((span) -> hex(span.getTraceId().toByteArray()).equals(traceId))
				.filter((span) -> span.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
				.findFirst()
				.orElse(null), "the feed request's span");
			assertThat(request.getName()).isEqualTo("http get /api/v2/rv-activity-feed/");
			Span statement = waitFor(() -> this.spans.stream()
				.filter((span) -> span.getParentSpanId().equals(request.getSpanId()))
				.filter((span) -> span.getName().equals("db SELECT"))
				.findFirst()
				.orElse(null), "a database span inside the request's");
			assertThat(attributes(statement)).containsEntry("db.system", "postgresql")
				.containsEntry("db.operation", "SELECT");
			assertThat(attributes(request)).containsEntry("method", "GET")
				.containsEntry("status", "200")
				.containsEntry("uri", "/api/v2/rv-activity-feed/");
			Set<String> recorded = new TreeSet<>(attributes(request).keySet());
			recorded.addAll(attributes(statement).keySet());
			assertThat(recorded).containsAll(OperationsGuide.column("| span", 1));
			// no statement text, no values
			assertThat(attributes(statement).keySet()).doesNotContain("db.statement");
			HttpResponse<String> metrics = client
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
					.header("Authorization", "Bearer observability-metrics-token")
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(metrics.body())
				.contains("rvfeed_db_statement_seconds_count{db_operation=\"SELECT\",db_system=\"postgresql\",");
		}
		finally {
			service.destroy();
			service.waitFor();
			receiver.stop(0);
		}
	}

	private HttpServer otlpReceiver() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/v1/traces", (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
				export.getResourceSpansList()
					.forEach((resource) -> resource.getScopeSpansList()
						.forEach((scope) -> this.spans.addAll(scope.getSpansList())));
			}
			exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		return server;
	}

	private static Map<String, String> attributes(Span span) {
		Map<String, String> attributes = new HashMap<>();
		for (KeyValue attribute : span.getAttributesList()) {
			attributes.put(attribute.getKey(), attribute.getValue().getStringValue());
		}
		return attributes;
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

	private static HttpRequest.Builder feed(int port, String key) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + FEED))
			.header("Authorization", "Bearer " + key)
			.timeout(Duration.ofSeconds(30));
	}

	/** A request from another loopback address, which the JDK's client cannot bind. */
	private static String rawGet(String from, int port, String key, String requestId, String forwardedFor)
			throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(from, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + FEED + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + key
					+ "\r\nX-Request-Id: " + requestId + "\r\nX-Forwarded-For: " + forwardedFor
					+ "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static JsonNode requestLine(Path log, String requestId) {
		ObjectMapper json = new ObjectMapper();
		try {
			for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
				if (line.startsWith("{")) {
					JsonNode node = json.readTree(line);
					if ("io.rvfeed.requests".equals(node.path("log").path("logger").asText())
							&& requestId.equals(node.path("request_id").asText())) {
						return node;
					}
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return null;
	}

	private static <T> T waitFor(Supplier<T> probe, String what) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			T value = probe.get();
			if (value != null) {
				return value;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("Waited 30 s for " + what);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void waitUntilReady(HttpClient client, int port, Process service, Path log) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
		String lastStatus = "none";
		while (System.nanoTime() < deadline) {
			if (!service.isAlive()) {
				throw new AssertionError("service exited: " + Files.readString(log));
			}
			try {
				HttpResponse<String> health = client
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
						.build(), HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200) {
					return;
				}
				lastStatus = Integer.toString(health.statusCode());
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		String output = Files.readString(log);
		throw new AssertionError("service not ready in 180 s (last status " + lastStatus + "): "
				+ output.substring(Math.max(0, output.length() - 4000)));
	}

}
