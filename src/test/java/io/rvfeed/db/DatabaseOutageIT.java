package io.rvfeed.db;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.rvfeed.support.ExtraService;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.SseClient;
import io.rvfeed.support.TcpProxy;
import io.rvfeed.support.TestTenants;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL outages, played by a TCP proxy between a second instance of the service and
 * the suite's database: requests that need the database fail fast with 503 and
 * {@code Retry-After}, readiness follows the database within seconds both ways,
 * background jobs say nothing more than one line, a connection lost at commit is a 503
 * whose retry is safe, and a service started while the database is down waits for it.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageIT {

	static final String FEED = "/api/v2/rv-activity-feed/?limit=5";

	static final Duration FAIL_FAST = Duration.ofSeconds(2);

	static final Duration READINESS = Duration.ofSeconds(5);

	@Autowired
	HikariDataSource database;

	@Autowired
	TestTenants tenants;

	TcpProxy proxy;

	ConfigurableApplicationContext service;

	HttpApi api;

	String key;

	@BeforeAll
	void startAServiceBehindAProxy() throws Exception {
		URI server = ExtraService.server(this.database);
		this.proxy = new TcpProxy(server.getHost(), server.getPort());
		List<String> args = new ArrayList<>(
				ExtraService.database(this.database, this.proxy.proxiedJdbcUrl(this.database.getJdbcUrl())));
		// the compactor and a live stream keep using the database through the outages
		args.add("--rvfeed.feed-counts.compact-interval=200ms");
		this.service = ExtraService.start(args);
		this.api = new HttpApi(ExtraService.port(this.service));
		this.key = this.tenants.create().key();
	}

	@AfterAll
	void stop() throws Exception {
		if (this.service != null) {
			this.service.close();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
	}

	@BeforeEach
	void databaseAnswers() {
		this.proxy.forward();
		assertThat(within(Duration.ofSeconds(30), () -> readiness() == 200)).as("ready").isNotNull();
	}

	@Test
	void aDatabaseThatIsDownIsA503WithinTwoSecondsAndReadinessFollowsIt(CapturedOutput output) throws Exception {
		assertThat(this.api.get(FEED).key(this.key).send().status()).isEqualTo(200);
		SseClient stream = new SseClient(this.api.origin() + "/api/v2/rv-activity-feed/stream", this.key, null);
		assertThat(stream.status()).isEqualTo(200);
		int logFrom = output.getOut().length();

		long down = System.nanoTime();
		this.proxy.refuse();
		for (int i = 0; i < 5; i++) {
			assertFailsFast(() -> this.api.get(FEED).key(this.key).send());
			assertFailsFast(() -> this.api.post("/api/v2/rv-sessions/", newSession("outage")).key(this.key).send());
			assertFailsFast(() -> this.api.get("/admin/tenants").key(IntegrationTest.ADMIN_TOKEN).send());
		}
		Duration notReady = within(READINESS, () -> readiness() == 503);
		assertThat(notReady).as("readiness DOWN within 5 s of the outage").isNotNull();
		System.out.printf("Outage: readiness DOWN %d ms after it began%n",
				Duration.ofNanos(System.nanoTime() - down).toMillis());
		assertThat(this.api.get("/actuator/health/liveness").send().status()).isEqualTo(200);
		// long enough for many ticks of the compactor (every 200 ms) and the monitor
		sleep(Duration.ofSeconds(3));
		assertFailsFast(() -> this.api.get(FEED).key(this.key).send());

		long up = System.nanoTime();
		this.proxy.forward();
		assertThat(within(READINESS, () -> readiness() == 200)).as("readiness UP within 5 s of recovery").isNotNull();
		System.out.printf("Recovery: readiness UP %d ms after it%n",
				Duration.ofNanos(System.nanoTime() - up).toMillis());
		assertThat(this.api.get(FEED).key(this.key).send().status()).isEqualTo(200);

		// the live stream opened before the outage is still open, and resumes
		String afterwards = "after-outage-" + UUID.randomUUID();
		assertThat(this.api.post("/api/v2/rv-sessions/", newSession(afterwards)).key(this.key).send().status())
			.isEqualTo(201);
		try (stream) {
			assertThat(stream.awaitUntil((events) -> events.stream().anyMatch((e) -> e.data().contains(afterwards)),
					Duration.ofSeconds(10)))
				.anyMatch((event) -> event.data().contains(afterwards));
		}

		String log = output.getOut().substring(logFrom);
		assertThat(log).as("one line for the outage").containsOnlyOnce("PostgreSQL does not answer");
		assertThat(log).containsOnlyOnce("PostgreSQL answers again");
		assertThat(log).as("no stack traces")
			.doesNotContain("\tat ")
			.doesNotContain("Compacting the feed counts failed")
			.doesNotContain("Live stream for tenant");
	}

	@Test
	void aDatabaseThatStopsAnsweringIsNotReadyWithinFiveSecondsAndThenFailsFast() {
		long silent = System.nanoTime();
		this.proxy.blackhole();
		Duration notReady = within(READINESS, () -> readiness() == 503);
		assertThat(notReady).as("readiness DOWN within 5 s of the silence").isNotNull();
		System.out.printf("Silent database: readiness DOWN %d ms after it began%n",
				Duration.ofNanos(System.nanoTime() - silent).toMillis());
		for (int i = 0; i < 5; i++) {
			assertFailsFast(() -> this.api.get(FEED).key(this.key).send());
		}
		this.proxy.forward();
		assertThat(within(READINESS, () -> readiness() == 200)).as("readiness UP within 5 s").isNotNull();
		assertThat(within(READINESS, () -> this.api.get(FEED).key(this.key).send().status() == 200)).isNotNull();
	}

	@Test
	void aConnectionLostAtCommitIsA503AndTheRetryIsSafe() {
		// the COMMIT never reaches PostgreSQL: nothing was written, the retry writes it
		String lost = newSession("cut-before-" + UUID.randomUUID());
		this.proxy.cutAtCommit(nameIn(lost), false);
		HttpApi.Reply cut = this.api.post("/api/v2/rv-sessions/", lost).key(this.key).send();
		assertThat(this.proxy.commitCutDone()).isTrue();
		assertUnavailable(cut);
		assertThat(this.api.post("/api/v2/rv-sessions/", lost).key(this.key).send().status()).isEqualTo(201);
		assertThat(this.api.post("/api/v2/rv-sessions/", lost).key(this.key).send().status()).isEqualTo(200);

		// PostgreSQL commits but its answer is lost: the retry finds the session written
		String answerLost = newSession("cut-after-" + UUID.randomUUID());
		this.proxy.cutAtCommit(nameIn(answerLost), true);
		HttpApi.Reply cutAfter = this.api.post("/api/v2/rv-sessions/", answerLost).key(this.key).send();
		assertThat(this.proxy.commitCutDone()).isTrue();
		assertUnavailable(cutAfter);
		HttpApi.Reply retried = this.api.post("/api/v2/rv-sessions/", answerLost).key(this.key).send();
		assertThat(retried.status()).as(retried.toString()).isEqualTo(200);

		// a batch, whose failure would otherwise be retried item by item
		String sessionId = HttpApi.json(lost).get("session_id").asString();
		String marker = "batch-" + UUID.randomUUID();
		String batch = "[{\"session_id\":\"" + sessionId + "\",\"event_id\":\"" + UUID.randomUUID()
				+ "\",\"state\":\"ACTIVE\",\"reason\":\"" + marker + "\"}]";
		this.proxy.cutAtCommit(marker, false);
		HttpApi.Reply batchCut = this.api.post("/api/v2/rv-sessions/events:batch", batch).key(this.key).send();
		assertThat(this.proxy.commitCutDone()).isTrue();
		assertUnavailable(batchCut);
		HttpApi.Reply batchRetried = this.api.post("/api/v2/rv-sessions/events:batch", batch).key(this.key).send();
		assertThat(batchRetried.status()).as(batchRetried.toString()).isEqualTo(200);
		assertThat(batchRetried.json().get("content").get("results").get(0).get("result").asString())
			.isEqualTo("applied");
	}

	@Test
	void aServiceStartedWhileTheDatabaseIsDownWaitsForItThenMigratesAndServes() throws Exception {
		String name = "rvfeed_start_down_" + UUID.randomUUID().toString().replace("-", "");
		execute(this.database.getJdbcUrl(), "create database " + name);
		URI server = ExtraService.server(this.database);
		try (TcpProxy down = new TcpProxy(server.getHost(), server.getPort())) {
			down.refuse();
			String url = down.proxiedJdbcUrl(ExtraService.otherDatabase(this.database.getJdbcUrl(), name));
			String bootstrapKey = "rvf_" + UUID.randomUUID().toString().replace("-", "");
			List<String> args = new ArrayList<>(ExtraService.database(this.database, url));
			args.add("--rvfeed.bootstrap.api-key=" + bootstrapKey);
			long started = System.nanoTime();
			try (ConfigurableApplicationContext waiting = ExtraService.start(args)) {
				System.out.printf("Started without the database in %d ms%n",
						Duration.ofNanos(System.nanoTime() - started).toMillis());
				HttpApi other = new HttpApi(ExtraService.port(waiting));
				assertThat(other.get("/actuator/health/readiness").send().status()).isEqualTo(503);
				assertThat(other.get("/actuator/health/liveness").send().status()).isEqualTo(200);
				assertFailsFast(() -> other.get(FEED).key(bootstrapKey).send());
				assertThat(tableExists(ExtraService.otherDatabase(this.database.getJdbcUrl(), name), "api_key"))
					.as("not migrated while unreachable")
					.isFalse();

				long back = System.nanoTime();
				down.forward();
				assertThat(within(Duration.ofSeconds(60),
						() -> other.get("/actuator/health/readiness").send().status() == 200))
					.as("ready once migrated")
					.isNotNull();
				System.out.printf("Database back: migrated and ready in %d ms%n",
						Duration.ofNanos(System.nanoTime() - back).toMillis());
				assertThat(other.get(FEED).key(bootstrapKey).send().status()).isEqualTo(200);
			}
		}
		finally {
			execute(this.database.getJdbcUrl(), "drop database if exists " + name + " with (force)");
		}
	}

	private void assertFailsFast(Supplier<HttpApi.Reply> request) {
		long started = System.nanoTime();
		HttpApi.Reply reply = request.get();
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertUnavailable(reply);
		assertThat(took).as("answered within 2 s").isLessThan(FAIL_FAST);
	}

	private static void assertUnavailable(HttpApi.Reply reply) {
		assertStandardError(reply, 503);
		assertThat(reply.json().get("message").asString()).contains("database is unavailable");
		assertThat(Integer.parseInt(reply.header("Retry-After"))).isPositive();
	}

	private int readiness() {
		return this.api.get("/actuator/health/readiness").send().status();
	}

	/** How long until the condition held, or null if it did not within the limit. */
	private static Duration within(Duration limit, java.util.function.BooleanSupplier condition) {
		long started = System.nanoTime();
		long deadline = started + limit.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return Duration.ofNanos(System.nanoTime() - started);
			}
			sleep(Duration.ofMillis(100));
		}
		return null;
	}

	private static String newSession(String deviceName) {
		return "{\"session_id\":\"" + UUID.randomUUID() + "\",\"device_id\":\"" + UUID.randomUUID()
				+ "\",\"device_name\":\"" + deviceName + "\"}";
	}

	private static String nameIn(String session) {
		return HttpApi.json(session).get("device_name").asString();
	}

	private void execute(String jdbcUrl, String sql) throws SQLException {
		try (Connection connection = connect(jdbcUrl); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private boolean tableExists(String jdbcUrl, String table) throws SQLException {
		try (Connection connection = connect(jdbcUrl);
				var rows = connection.getMetaData().getTables(null, "public", table, null)) {
			return rows.next();
		}
	}

	private Connection connect(String jdbcUrl) throws SQLException {
		Properties login = new Properties();
		if (this.database.getUsername() != null) {
			login.setProperty("user", this.database.getUsername());
		}
		if (this.database.getPassword() != null) {
			login.setProperty("password", this.database.getPassword());
		}
		return DriverManager.getConnection(jdbcUrl, login);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
