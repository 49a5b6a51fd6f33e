package io.rvfeed.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.rvfeed.auth.Scope;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.RawConnection;
import io.rvfeed.support.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded attacks on loopback by clients that send slowly: anonymous bodies trickled a
 * byte at a time, slow headers, a body slower than its deadline, one key's or tenant's
 * many slow bodies. What other clients see is asserted: liveness and another tenant's
 * feed and writes keep answering within a second.
 */
@IntegrationTest
class SlowClientsIT {

	private static final Duration FAST = Duration.ofSeconds(1);

	@LocalServerPort
	int port;

	@Autowired
	TestTenants tenants;

	@Autowired
	BodyReads reads;

	@Autowired
	RequestLimitsProperties limits;

	private final List<RawConnection> connections = new ArrayList<>();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(FAST).build();

	private ScheduledExecutorService trickle;

	@AfterEach
	void closeConnections() {
		if (this.trickle != null) {
			this.trickle.shutdownNow();
		}
		this.connections.forEach(RawConnection::close);
	}

	@Test
	void anonymousSlowBodiesAndHeadersDoNotTakeTheServiceAway() throws Exception {
		TestTenants.TestTenant other = this.tenants.create();
		List<RawConnection> bodies = new ArrayList<>();
		// 200 anonymous requests whose bodies would take forever: chunked writes, and the
		// other ways a body used to be read before authentication (forms, multipart), or
		// drained after the answer (a GET with a body)
		for (int i = 0; i < 200; i++) {
			String request = switch (i % 10) {
				case 0 -> "POST /admin/tenants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
						+ "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n";
				case 1 -> "GET /actuator/health/liveness HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
						+ "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n";
				case 2 -> "PUT /admin/tenants HTTP/1.1\r\nHost: x\r\n"
						+ "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\na=";
				case 3 -> "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
						+ "Content-Length: 100000\r\n\r\n--b\r\n";
				default -> "POST /api/v2/rv-sessions/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
						+ "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n";
			};
			bodies.add(open().send(request));
		}
		// and 40 whose headers never end
		List<RawConnection> headers = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			headers.add(open().send("GET /actuator/health/liveness HTTP/1.1\r\nHost: x\r\n"));
		}
		this.trickle = Executors.newSingleThreadScheduledExecutor();
		this.trickle.scheduleAtFixedRate(() -> {
			bodies.forEach((connection) -> connection.trySend("1\r\n \r\n"));
			headers.forEach((connection) -> connection.trySend("X"));
		}, 1, 1, TimeUnit.SECONDS);

		Duration slowest = Duration.ZERO;
		for (int round = 0; round < 5; round++) {
			Thread.sleep(1000);
			slowest = max(slowest, assertAnswersFast("/actuator/health/liveness", null, 200));
			slowest = max(slowest, assertAnswersFast("/api/v2/rv-activity-feed/?limit=5", other.key(), 200));
		}
		System.out.printf("Slow clients: 200 anonymous slow bodies and 40 slow headers open; liveness and "
				+ "another tenant's feed answered in at most %d ms%n", slowest.toMillis());
		// every anonymous body was answered without being read, and its connection closed
		for (RawConnection connection : bodies) {
			RawConnection.Response response = connection.awaitResponse(Duration.ofSeconds(2));
			assertThat(response).as("an anonymous slow body is answered without waiting for it").isNotNull();
			assertThat(response.status()).isIn(200, 401, 404, 405);
			assertThat(connection.awaitClose(Duration.ofSeconds(2))).as("the connection is closed, not drained")
				.isTrue();
		}
	}

	@Test
	void aBodySlowerThanItsDeadlineIsCutOffThoughEveryByteArrivesInTime() {
		TestTenants.TestTenant tenant = this.tenants.create();
		long started = System.nanoTime();
		RawConnection connection = open().send(chunkedWrite(tenant.key()));
		this.trickle = Executors.newSingleThreadScheduledExecutor();
		this.trickle.scheduleAtFixedRate(() -> connection.trySend("1\r\n \r\n"), 500, 500, TimeUnit.MILLISECONDS);
		RawConnection.Response response = connection.awaitResponse(this.limits.bodyTimeout().plusSeconds(10));
		long millis = (System.nanoTime() - started) / 1_000_000;
		assertThat(response).as("answered at the deadline").isNotNull();
		assertThat(response.status()).isEqualTo(408);
		assertThat(response.json().get("status").asInt()).isEqualTo(408);
		assertThat(response.json().get("message").asString()).contains("did not arrive in time");
		assertThat(millis).isBetween(this.limits.bodyTimeout().toMillis() - 100,
				this.limits.bodyTimeout().toMillis() + 3000);
		assertThat(connection.awaitClose(Duration.ofSeconds(2))).isTrue();
	}

	@Test
	void oneKeyOrTenantCannotHoldMoreThanItsShareOfBodies() throws Exception {
		TestTenants.TestTenant tenant = this.tenants.create();
		String second = this.tenants.addKey(tenant.id(), "second", EnumSet.allOf(Scope.class));
		String third = this.tenants.addKey(tenant.id(), "third", EnumSet.allOf(Scope.class));
		TestTenants.TestTenant other = this.tenants.create();
		int perKey = this.limits.maxBodyReadsPerKey();
		int before = this.reads.reading();
		List<RawConnection> slow = new ArrayList<>();
		for (int i = 0; i < perKey; i++) {
			slow.add(open().send(chunkedWrite(tenant.key())));
		}
		awaitReading(before + perKey);
		RawConnection.Response overKey = open().send(chunkedWrite(tenant.key())).awaitResponse(FAST);
		assertThat(overKey).isNotNull();
		assertThat(overKey.status()).isEqualTo(429);
		assertThat(overKey.header("Retry-After")).isEqualTo("1");
		assertThat(overKey.json().get("message").asString()).contains("this API key");

		int perTenant = this.limits.maxBodyReadsPerTenant();
		for (int i = 0; i < perTenant - perKey; i++) {
			slow.add(open().send(chunkedWrite(second)));
		}
		awaitReading(before + perTenant);
		RawConnection.Response overTenant = open().send(chunkedWrite(third)).awaitResponse(FAST);
		assertThat(overTenant).isNotNull();
		assertThat(overTenant.status()).isEqualTo(429);
		assertThat(overTenant.json().get("message").asString()).contains("this tenant");

		// another tenant writes and reads as usual
		long started = System.nanoTime();
		HttpResponse<String> created = this.client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v2/rv-sessions/"))
				.timeout(FAST)
				.header("Authorization", "Bearer " + other.key())
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"fair share\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
		assertAnswersFast("/api/v2/rv-activity-feed/?limit=5", other.key(), 200);

		// the places come back when the slow clients go
		slow.forEach(RawConnection::close);
		awaitReading(before);
		RawConnection.Response again = open().send(chunkedWrite(tenant.key()) + "0\r\n\r\n")
			.awaitResponse(Duration.ofSeconds(5));
		assertThat(again).isNotNull();
		assertThat(again.status()).as("the body '{' is read and refused as JSON").isEqualTo(400);
	}

	@Test
	void aWriteWhoseBodyIsReadKeepsItsConnectionAndOneLeftUnreadClosesIt() {
		TestTenants.TestTenant tenant = this.tenants.create();
		String body = "{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"keep-alive\"}";
		RawConnection connection = open();
		String withLength = "POST /api/v2/rv-sessions/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tenant.key()
				+ "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
		String chunked = chunkedWrite(tenant.key()).replace("1\r\n{\r\n", "") + Integer.toHexString(body.length())
				+ "\r\n" + body + "\r\n0\r\n\r\n";
		for (String request : new String[] { withLength, chunked, withLength }) {
			RawConnection.Response response = connection.send(request).awaitResponse(Duration.ofSeconds(10));
			assertThat(response).isNotNull();
			assertThat(response.status()).as(response.body()).isEqualTo(201);
			assertThat(response.header("Connection")).isNull();
			connection.clear();
		}
		// without a key the body is not read, and the connection is not kept for it
		RawConnection anonymous = open().send(withLength.replace("Authorization: Bearer " + tenant.key() + "\r\n", ""));
		RawConnection.Response refused = anonymous.awaitResponse(Duration.ofSeconds(10));
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("Connection")).isEqualTo("close");
		assertThat(anonymous.awaitClose(Duration.ofSeconds(2))).isTrue();
	}

	private String chunkedWrite(String key) {
		return "POST /api/v2/rv-sessions/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
				+ "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n";
	}

	private RawConnection open() {
		RawConnection connection = RawConnection.open(this.port);
		this.connections.add(connection);
		return connection;
	}

	private void awaitReading(int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (this.reads.reading() != count && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(this.reads.reading()).isEqualTo(count);
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	private Duration assertAnswersFast(String path, String key, int status) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(FAST);
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		long started = System.nanoTime();
		HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(response.statusCode()).as(path).isEqualTo(status);
		assertThat(took).as(path + " answers within a second").isLessThan(FAST);
		return took;
	}

}
