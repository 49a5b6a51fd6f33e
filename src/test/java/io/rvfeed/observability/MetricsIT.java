package io.rvfeed.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import io.rvfeed.auth.ApiKeyRepository;
import io.rvfeed.auth.ApiKeys;
import io.rvfeed.auth.Scope;
import io.rvfeed.ratelimit.RateLimit;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.OperationsGuide;
import io.rvfeed.support.SseClient;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric documented in docs/operations.md is on /actuator/prometheus and counts
 * what it says; /actuator/info names the build; tracing is off unless configured.
 */
@IntegrationTest
class MetricsIT {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)");

	@LocalServerPort
	int port;

	@Autowired
	TestTenants tenants;

	@Autowired
	ApiKeyRepository keys;

	@Autowired
	ApplicationContext context;

	@Test
	void domainMetricsCountWhatTheySay() throws Exception {
		HttpApi api = new HttpApi(this.port);
		Map<String, Double> before = scrape();
		TestTenants.TestTenant tenant = this.tenants.create();
		WriteApi write = new WriteApi(api, tenant.key());
		UUID session = write.createSession(UUID.randomUUID(), "2026-05-01T10:00:00Z");
		// the same create again changes nothing
		assertThat(write
			.create("{\"session_id\":\"" + session + "\",\"device_id\":\"" + UUID.randomUUID()
					+ "\",\"device_name\":\"x\"}")
			.status()).isEqualTo(409);
		UUID eventId = UUID.randomUUID();
		String active = "{\"event_id\":\"" + eventId
				+ "\",\"state\":\"ACTIVE\",\"occurred_at\":\"2026-05-01T10:00:05Z\"}";
		assertThat(write.event(session, active).status()).isEqualTo(201);
		assertThat(write.event(session, active).status()).isEqualTo(200);
		assertThat(write.event(session, "TERMINATED", "2026-05-01T10:10:00Z").status()).isEqualTo(201);
		assertThat(write.event(session, "FAILED", "2026-05-01T10:10:01Z").status()).isEqualTo(409);
		assertThat(write.event(UUID.randomUUID(), "ACTIVE", "2026-05-01T10:00:05Z").status()).isEqualTo(404);
		String batch = String.join("\n",
				"{\"session_id\":\"" + session
						+ "\",\"state\":\"ACKNOWLEDGED\",\"occurred_at\":\"2026-05-01T10:00:01Z\"}",
				"{\"session_id\":\"" + UUID.randomUUID() + "\",\"state\":\"ACTIVE\"}",
				"{\"session_id\":\"" + session + "\",\"state\":\"SLEEPING\"}");
		assertThat(write.batch(batch, "application/x-ndjson").status()).isEqualTo(200);

		String limitedKey = ApiKeys.generate();
		this.keys.create(tenant.id(), "limited", EnumSet.of(Scope.FEED_READ), limitedKey, new RateLimit(1, 1));
		assertThat(api.get("/api/v2/rv-activity-feed/").key(limitedKey).send().status()).isEqualTo(200);
		assertThat(api.get("/api/v2/rv-activity-feed/").key(limitedKey).send().status()).isEqualTo(429);

		HttpApi.Reply export = api.get("/api/v2/rv-activity-feed/export?format=ndjson").key(tenant.key()).send();
		assertThat(export.status()).isEqualTo(200);
		assertThat(export.body().lines()).hasSize(1);

		Map<String, Double> after = scrape();
		assertThat(delta(before, after, "rvfeed_session_creations_total")).isEqualTo(1);
		assertThat(delta(before, after, "rvfeed_events_total{result=\"applied\",via=\"single\"}")).isEqualTo(2);
		assertThat(delta(before, after, "rvfeed_events_total{result=\"duplicate\",via=\"single\"}")).isEqualTo(1);
		assertThat(delta(before, after, "rvfeed_events_total{result=\"conflict\",via=\"single\"}")).isEqualTo(1);
		assertThat(delta(before, after, "rvfeed_events_total{result=\"refused\",via=\"single\"}")).isEqualTo(1);
		assertThat(delta(before, after, "rvfeed_events_total{result=\"applied\",via=\"batch\"}")).isEqualTo(1);
		assertThat(delta(before, after, "rvfeed_events_total{result=\"refused\",via=\"batch\"}")).isEqualTo(2);
		assertThat(delta(before, after, "rvfeed_batch_size_events_count")).isEqualTo(1);
		assertThat(delta(before, after, "rvfeed_batch_size_events_sum")).isEqualTo(3);
		assertThat(delta(before, after, "rvfeed_requests_limited_total{scope=\"key\"}")).isEqualTo(1);
		assertThat(delta(before, after, "rvfeed_exports_total{format=\"ndjson\"}")).isEqualTo(1);
		assertThat(delta(before, after, "rvfeed_export_rows_total{format=\"ndjson\"}")).isEqualTo(1);
		assertThat(after.get("rvfeed_feed_counts_compaction_lag_seconds")).isBetween(0.0, 30.0);
		assertThat(after).containsKey(
				"http_server_requests_seconds_bucket{error=\"none\",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/v2/rv-activity-feed/\",le=\"0.02\"}");

		double open = after.get("rvfeed_streams_open");
		try (SseClient stream = new SseClient("http://localhost:" + this.port + "/api/v2/rv-activity-feed/stream",
				tenant.key(), null)) {
			assertThat(stream.status()).isEqualTo(200);
			awaitMetric("rvfeed_streams_open", (value) -> value >= open + 1);
		}
	}

	@Test
	void everyDocumentedMetricIsExposedAndEveryExposedOneDocumented() throws Exception {
		Set<String> documented = OperationsGuide.names("| metric");
		assertThat(documented).contains("rvfeed_session_creations_total", "http_server_requests_seconds");
		assertThat(new HttpApi(this.port).get("/api/v2/rv-activity-feed/")
			.key(IntegrationTest.BOOTSTRAP_KEY)
			.send()
			.status()).isEqualTo(200);
		Map<String, Double> samples = scrape();
		for (String metric : documented) {
			if (metric.startsWith("rvfeed_db_statement_")) {
				// with tracing on only: ObservabilityIT
				continue;
			}
			assertThat(samples.keySet()).as(metric).anyMatch((sample) -> sample.startsWith(metric));
		}
		for (String sample : samples.keySet()) {
			if (sample.startsWith("rvfeed_")) {
				String name = sample.replaceFirst("\\{.*", "");
				assertThat(documented).as(name + " is documented in docs/operations.md")
					.anyMatch((metric) -> name.equals(metric) || name.startsWith(metric + "_"));
			}
		}
	}

	@Test
	void tracingIsOffUnlessAnEndpointIsConfigured() {
		assertThat(this.context.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
		assertThat(this.context.getBeanNamesForType(io.opentelemetry.sdk.trace.export.SpanExporter.class)).isEmpty();
	}

	@Test
	void infoNamesTheVersionTheCommitAndTheBuildTime() throws Exception {
		HttpApi.Reply info = new HttpApi(this.port).get("/actuator/info").send();
		assertThat(info.status()).isEqualTo(200);
		JsonNode build = info.json().get("build");
		String pom = Files.readString(Path.of("pom.xml"));
		Matcher version = Pattern.compile("<artifactId>rv-feed</artifactId>\\s*<version>([^<]+)</version>")
			.matcher(pom);
		assertThat(version.find()).isTrue();
		assertThat(build.get("version").asString()).isEqualTo(version.group(1));
		assertThat(Instant.parse(build.get("time").asString())).isBetween(Instant.now().minus(Duration.ofDays(1)),
				Instant.now().plusSeconds(60));
		if (Files.exists(Path.of(".git"))) {
			String commit = info.json().get("git").get("commit").get("id").asString();
			assertThat(commit).matches("[0-9a-f]{7,40}");
			Process exists = new ProcessBuilder("git", "cat-file", "-e", commit + "^{commit}").start();
			assertThat(exists.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(exists.exitValue()).as("a commit of this repository").isZero();
		}
	}

	private void awaitMetric(String name, Predicate<Double> condition) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		Double value = null;
		while (System.nanoTime() < deadline) {
			value = scrape().get(name);
			if (value != null && condition.test(value)) {
				return;
			}
			Thread.sleep(100);
		}
		throw new AssertionError(name + " stayed at " + value);
	}

	private static double delta(Map<String, Double> before, Map<String, Double> after, String sample) {
		assertThat(after).as(sample).containsKey(sample);
		return after.get(sample) - before.getOrDefault(sample, 0.0);
	}

	private Map<String, Double> scrape() throws IOException {
		HttpApi.Reply reply = new HttpApi(this.port, false).get("/actuator/prometheus")
			.key(IntegrationTest.METRICS_TOKEN)
			.send();
		assertThat(reply.status()).isEqualTo(200);
		Map<String, Double> samples = new LinkedHashMap<>();
		for (String line : reply.body().lines().toList()) {
			Matcher sample = SAMPLE.matcher(line);
			if (!line.startsWith("#") && sample.find()) {
				samples.put(sample.group(1) + ((sample.group(2) != null) ? sample.group(2) : ""),
						Double.parseDouble(sample.group(3)));
			}
		}
		return samples;
	}

}
