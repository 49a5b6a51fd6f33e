package io.rvfeed.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.rvfeed.RvFeedApplication;
import io.rvfeed.support.BulkSessions;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.SseClient;
import io.rvfeed.support.StalledClient;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the service on one database (the suite's, and a second one started
 * here): a key revoked or rotated through one instance ends the streams and exports
 * opened with it on both within 5 seconds, while new requests with it get 401 on both at
 * once. No Redis is involved: revocation is shared through the database.
 */
@IntegrationTest
class KeyRevocationIT {

	static final String ADMIN_TOKEN = IntegrationTest.ADMIN_TOKEN;

	static final String STREAM = "/api/v2/rv-activity-feed/stream";

	static final String EXPORT = "/api/v2/rv-activity-feed/export?format=csv";

	static final String FEED = "/api/v2/rv-activity-feed/?limit=1";

	static final Duration WITHIN = Duration.ofSeconds(5);

	@Autowired
	ConfigurableApplicationContext nodeA;

	@Test
	void aRevokedOrRotatedKeyEndsItsStreamsAndExportsOnEveryInstance() throws Exception {
		HikariDataSource database = this.nodeA.getBean(HikariDataSource.class);
		List<String> sameDatabase = new ArrayList<>(List.of("--spring.datasource.url=" + database.getJdbcUrl()));
		if (database.getUsername() != null) {
			sameDatabase.add("--spring.datasource.username=" + database.getUsername());
		}
		if (database.getPassword() != null) {
			sameDatabase.add("--spring.datasource.password=" + database.getPassword());
		}
		try (ConfigurableApplicationContext nodeB = start(sameDatabase.toArray(String[]::new))) {
			HttpApi a = new HttpApi(port(this.nodeA));
			HttpApi b = new HttpApi(port(nodeB));
			String tenant = createTenant(a);
			this.nodeA.getBean(BulkSessions.class).insertLarge(UUID.fromString(tenant), 6000);

			String[] revoked = createKey(a, tenant);
			// accepted by both instances before it is revoked
			assertThat(a.get(FEED).key(revoked[0]).send().status()).isEqualTo(200);
			assertThat(b.get(FEED).key(revoked[0]).send().status()).isEqualTo(200);
			try (SseClient onA = stream(this.nodeA, revoked[0]);
					SseClient onB = stream(nodeB, revoked[0]);
					StalledClient export = new StalledClient(port(nodeB), EXPORT, revoked[0])) {
				assertThat(export.status(Duration.ofSeconds(10))).isEqualTo(200);
				assertThat(exports(nodeB)).isEqualTo(1);
				long revokedAt = System.nanoTime();
				HttpApi.Reply revoke = a.post("/admin/tenants/" + tenant + "/keys/" + revoked[1] + "/revoke", "")
					.key(ADMIN_TOKEN)
					.send();
				assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);
				// refused at once by the other instance (no cache of keys outlives a
				// revocation)
				assertStandardError(b.get(FEED).key(revoked[0]).send(), 401);

				assertThat(onA.awaitEnd(WITHIN)).as("the stream on the instance that revoked").isTrue();
				assertThat(onB.awaitEnd(remaining(revokedAt))).as("the stream on the other instance").isTrue();
				while (exports(nodeB) > 0 && System.nanoTime() - revokedAt < WITHIN.toNanos()) {
					Thread.sleep(100);
				}
				assertThat(exports(nodeB)).as("the export on the other instance").isZero();
				System.out.printf("Revoked key: its streams and export ended %d ms after the revocation%n",
						Duration.ofNanos(System.nanoTime() - revokedAt).toMillis());
				// cut off: the chunked body never got its last chunk
				assertThat(export.readToEnd(Duration.ofSeconds(20))).doesNotEndWith("0\r\n\r\n");
			}
			assertStandardError(b.get(STREAM).key(revoked[0]).send(), 401);
			assertStandardError(a.get(EXPORT).key(revoked[0]).send(), 401);

			String[] rotated = createKey(a, tenant);
			try (SseClient onA = stream(this.nodeA, rotated[0])) {
				long rotatedAt = System.nanoTime();
				HttpApi.Reply rotate = b.post("/admin/tenants/" + tenant + "/keys/" + rotated[1] + "/rotate", "")
					.key(ADMIN_TOKEN)
					.send();
				assertThat(rotate.status()).as(rotate.toString()).isEqualTo(201);
				assertThat(onA.awaitEnd(WITHIN)).as("the stream of the rotated key").isTrue();
				System.out.printf("Rotated key: its stream on the other instance ended %d ms after the rotation%n",
						Duration.ofNanos(System.nanoTime() - rotatedAt).toMillis());
				String newKey = rotate.json().get("api_key").asString();
				try (SseClient withNewKey = stream(this.nodeA, newKey)) {
					assertThat(withNewKey.status()).isEqualTo(200);
				}
			}
		}
	}

	private static Duration remaining(long since) {
		return WITHIN.minusNanos(System.nanoTime() - since).plusMillis(1);
	}

	private static int exports(ConfigurableApplicationContext node) {
		return node.getBean(OpenResponses.class).open(OpenResponses.Kind.EXPORT);
	}

	private static SseClient stream(ConfigurableApplicationContext node, String key) throws Exception {
		SseClient client = new SseClient("http://localhost:" + port(node) + STREAM, key, null);
		assertThat(client.status()).isEqualTo(200);
		return client;
	}

	private static String createTenant(HttpApi node) {
		HttpApi.Reply tenant = node.post("/admin/tenants", "{\"name\":\"revocation\"}").key(ADMIN_TOKEN).send();
		assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
		return tenant.json().get("tenant_id").asString();
	}

	/** A new key and its id. */
	private static String[] createKey(HttpApi node, String tenant) {
		HttpApi.Reply created = node
			.post("/admin/tenants/" + tenant + "/keys", "{\"name\":\"streams\",\"scopes\":[\"feed:read\"]}")
			.key(ADMIN_TOKEN)
			.send();
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return new String[] { created.json().get("api_key").asString(),
				created.json().get("key").get("key_id").asString() };
	}

	private static ConfigurableApplicationContext start(String... more) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--rvfeed.demo.enabled=false",
				"--rvfeed.bootstrap.tenant=" + UUID.randomUUID(), "--rvfeed.bootstrap.api-key=",
				"--rvfeed.request-log.enabled=false", "--rvfeed.admin.token=" + ADMIN_TOKEN,
				"--rvfeed.api-keys.hash-secret=" + IntegrationTest.KEY_HASH_SECRET));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(RvFeedApplication.class).run(args.toArray(String[]::new));
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
