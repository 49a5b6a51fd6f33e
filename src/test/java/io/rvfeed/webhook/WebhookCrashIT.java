package io.rvfeed.webhook;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import io.rvfeed.support.ExtraService;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service killed with SIGKILL after a change committed and while its message
 * was being sent: started again, it delivers the message, under the same id. The service
 * runs on a database of its own on the suite's server, so only it delivers.
 */
class WebhookCrashIT extends ServiceTest {

	private static final Path JAR = Path.of("target", "rv-feed.jar").toAbsolutePath();

	private static final String KEY = "rvf_webhook-crash-" + UUID.randomUUID();

	@Autowired
	ConfigurableApplicationContext suite;

	@Autowired
	DSLContext db;

	@TempDir
	Path temp;

	@Test
	void killedBetweenCommitAndDeliveryItDeliversAfterARestart() throws Exception {
		assertThat(JAR).as("the packaged jar; run ./mvnw verify, which packages before integration tests").exists();
		String databaseName = "rvfeed_webhook_crash_" + UUID.randomUUID().toString().replace("-", "");
		this.db.execute("create database " + databaseName);
		HikariDataSource suiteDatabase = this.suite.getBean(HikariDataSource.class);
		String jdbcUrl = ExtraService.otherDatabase(suiteDatabase.getJdbcUrl(), databaseName);
		List<String> args = new ArrayList<>(ExtraService.database(suiteDatabase, jdbcUrl));
		UUID tenant = UUID.randomUUID();
		args.addAll(List.of("--rvfeed.demo.enabled=false", "--rvfeed.bootstrap.tenant=" + tenant,
				"--rvfeed.bootstrap.api-key=" + KEY, "--rvfeed.api-keys.hash-secret=" + IntegrationTest.KEY_HASH_SECRET,
				"--rvfeed.webhook.allow-private-targets=true", "--rvfeed.webhook.timeout=2s",
				"--rvfeed.webhook.retry-schedule=1s,1s,1s"));
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			// the first attempt hangs: the service dies while sending it
			receiver.answer((path, n) -> (n == 1) ? -1 : 200);
			int port = freePort();
			Process first = start(args, port, this.temp.resolve("first.log"));
			String messageId;
			try {
				HttpApi api = new HttpApi(port, false);
				Webhooks.Made endpoint = new Webhooks(api, KEY).create(receiver.url("/crash"), "[]");
				receiver.secrets("/crash", endpoint.secret());
				HttpApi.Reply created = api
					.post("/api/v2/rv-sessions/",
							"{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"Crash\"}")
					.key(KEY)
					.send();
				assertThat(created.status()).as(created.toString()).isEqualTo(201);
				List<WebhookReceiver.Delivery> got = receiver.await("/crash", 1, Duration.ofSeconds(30));
				assertThat(got).hasSize(1);
				messageId = got.get(0).id();
			}
			finally {
				first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			}
			int port2 = freePort();
			Process second = start(args, port2, this.temp.resolve("second.log"));
			try {
				List<WebhookReceiver.Delivery> got = receiver.await("/crash", 2, Duration.ofSeconds(60));
				assertThat(got).as(Files.readString(this.temp.resolve("second.log"))).hasSizeGreaterThanOrEqualTo(2);
				assertThat(got).extracting(WebhookReceiver.Delivery::id).containsOnly(messageId);
				assertThat(got).allMatch(WebhookReceiver.Delivery::valid);
				long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
				String status = "";
				while (System.nanoTime() < deadline && !status.equals("delivered")) {
					HttpApi.Reply messages = new HttpApi(port2, false).get("/api/v2/webhooks/").key(KEY).send();
					String endpointId = messages.json().get("content").get("results").get(0).get("id").asString();
					status = new HttpApi(port2, false).get("/api/v2/webhooks/" + endpointId + "/messages/" + messageId)
						.key(KEY)
						.send()
						.json()
						.get("content")
						.get("status")
						.asString();
					Thread.sleep(100);
				}
				assertThat(status).isEqualTo("delivered");
			}
			finally {
				second.destroy();
				second.waitFor(30, TimeUnit.SECONDS);
			}
		}
		finally {
			this.db.execute("drop database if exists " + databaseName + " with (force)");
		}
	}

	private static Process start(List<String> args, int port, Path log) throws Exception {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
						JAR.toString(), "--server.port=" + port));
		command.addAll(args);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment()
			.keySet()
			.removeIf((name) -> name.startsWith("SPRING_DATASOURCE_") || name.startsWith("RVFEED_"));
		Process process = builder.start();
		HttpClient client = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The service ended: " + Files.readString(log));
			}
			try {
				HttpResponse<String> reply = client
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/webhooks/"))
						.header("Authorization", "Bearer " + KEY)
						.build(), HttpResponse.BodyHandlers.ofString());
				if (reply.statusCode() == 200) {
					return process;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		process.destroyForcibly();
		throw new IllegalStateException("The service was not ready within 120 s: " + Files.readString(log));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
