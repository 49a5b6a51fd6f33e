package io.rvfeed.feed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.Csv;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams 200,000 rows (about 45 MB of CSV) out of a separate service process whose heap
 * is capped at 256 MB (it dies on OutOfMemoryError), against the suite's database, and
 * checks every row. That the export streams rather than buffers is checked directly: when
 * the first rows reach the client (which then pauses), the service has produced only part
 * of the export (its {@code rvfeed.export.rows} counter), as a service that built the
 * whole body before sending could not.
 */
class FeedExportMemoryIT extends ServiceTest {

	private static final int ROWS = 200_000;

	private static final Path JAR = Path.of("target", "rv-feed.jar");

	@Autowired
	HikariDataSource dataSource;

	@Test
	void twoHundredThousandRowsThroughA256MegabyteHeap() throws Exception {
		assertThat(JAR).as("the packaged jar; run ./mvnw verify, which packages before integration tests").exists();
		TestTenants.TestTenant tenant = this.tenants.create();
		new JdbcTemplate(this.dataSource).update(
				"""
						insert into rv_session (tenant_id, session_id, device_id, device_name, device_alias, device_state, state,
						    video_quality, reason, created_by, updated_by, created_at, updated_at, started_at, ended_at,
						    device_name_lc, reason_lc, created_by_lc)
						select ?, gen_random_uuid(), gen_random_uuid(), n.name, null, 1, 'TERMINATED', 'DATA_SAVER', n.reason,
						       'ops', 'ops', t.created, t.created + interval '90 seconds', t.created + interval '5 seconds',
						       t.created + interval '90 seconds', lower(n.name), lower(n.reason), 'ops'
						from generate_series(1, ?) g,
						     lateral (select timestamptz '2025-01-01 00:00:00+00' + g * interval '1 second' as created) t,
						     lateral (select 'Device ' || g || case when g % 5 = 0 then ', "east"' else '' end as name,
						                     case when g % 3 = 0 then '=cmd|' || g end as reason) n
						""",
				tenant.id(), ROWS);

		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Path log = Files.createTempFile("rv-feed-export-", ".log");
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
				"-XX:+ExitOnOutOfMemoryError", "-jar", JAR.toString(), "--server.port=" + port,
				"--spring.datasource.url=" + this.dataSource.getJdbcUrl(),
				"--spring.datasource.username=" + this.dataSource.getUsername(), "--rvfeed.demo.enabled=false",
				"--rvfeed.request-log.enabled=false", "--rvfeed.bootstrap.api-key=", "--rvfeed.bootstrap.tenant=",
				"--rvfeed.api-keys.hash-secret=" + IntegrationTest.KEY_HASH_SECRET,
				"--rvfeed.metrics.token=" + IntegrationTest.METRICS_TOKEN));
		if (this.dataSource.getPassword() != null) {
			command.add("--spring.datasource.password=" + this.dataSource.getPassword());
		}
		Process service = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			HttpClient client = HttpClient.newHttpClient();
			waitUntilReady(client, port, service, log);
			assertThat(exportedRows(client, port)).isZero();
			HttpResponse<InputStream> response = client.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + port + "/api/v2/rv-activity-feed/export?format=csv"))
				.header("Authorization", "Bearer " + tenant.key())
				.timeout(Duration.ofMinutes(5))
				.build(), HttpResponse.BodyHandlers.ofInputStream());
			assertThat(response.statusCode()).isEqualTo(200);
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			String text;
			try (InputStream in = response.body()) {
				// the header and the first row, then a pause: the service is still
				// producing
				for (int lines = 0, b; lines < 2 && (b = in.read()) != -1;) {
					body.write(b);
					lines += (b == '\n') ? 1 : 0;
				}
				double producedAtFirstRow = exportedRows(client, port);
				System.out.printf("Export: first rows received when the service had produced %.0f of %d rows%n",
						producedAtFirstRow, ROWS);
				assertThat(producedAtFirstRow).as("rows the service had produced when the first ones arrived")
					.isLessThan(ROWS / 2.0);
				in.transferTo(body);
				text = body.toString(StandardCharsets.UTF_8);
			}
			assertThat(service.isAlive()).as("the service survived the export").isTrue();
			assertThat(exportedRows(client, port)).isEqualTo(ROWS);

			List<List<String>> records = Csv.parse(text);
			assertThat(records).hasSize(ROWS + 1);
			assertThat(records.get(0)).containsExactly("session_id", "device_id", "device_name", "device_alias",
					"device_state", "state", "video_quality", "reason", "duration", "created_by", "updated_by",
					"created_at", "updated_at", "started_at", "ended_at");
			Instant epoch = Instant.parse("2025-01-01T00:00:00Z");
			for (int i = 1; i <= ROWS; i++) {
				int g = ROWS - i + 1;
				List<String> record = records.get(i);
				assertThat(record).hasSize(15);
				assertThat(record.get(2)).isEqualTo("Device " + g + ((g % 5 == 0) ? ", \"east\"" : ""));
				assertThat(record.get(7)).isEqualTo((g % 3 == 0) ? "'=cmd|" + g : "");
				assertThat(record.get(8)).isEqualTo("PT1M25S");
				assertThat(record.get(11)).isEqualTo(epoch.plusSeconds(g).toString());
				assertThat(record.get(6)).isEqualTo("DATA_SAVER");
			}
		}
		finally {
			service.destroy();
			service.waitFor();
		}
	}

	/** The service's count of rows exported as CSV so far. */
	private static double exportedRows(HttpClient client, int port) throws Exception {
		HttpResponse<String> metrics = client
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
				.header("Authorization", "Bearer " + IntegrationTest.METRICS_TOKEN)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
		return metrics.body()
			.lines()
			.filter((line) -> line.startsWith("rvfeed_export_rows_total{") && line.contains("format=\"csv\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no rvfeed_export_rows_total for csv: " + metrics.body()));
	}

	private static void waitUntilReady(HttpClient client, int port, Process service, Path log) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (System.nanoTime() < deadline) {
			if (!service.isAlive()) {
				throw new AssertionError("service exited: " + Files.readString(log));
			}
			try {
				HttpResponse<String> health = client
					.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
						.build(), HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		throw new AssertionError("service not ready in time: " + Files.readString(log));
	}

}
