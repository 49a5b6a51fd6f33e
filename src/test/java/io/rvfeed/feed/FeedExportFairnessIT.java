package io.rvfeed.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.rvfeed.auth.Scope;
import io.rvfeed.support.BulkSessions;
import io.rvfeed.support.Csv;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.StalledClient;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Export downloads that are never read hold at most their share of the connection pool:
 * past the caps new exports get 429 at once, the feed and the write API keep answering,
 * and a stalled export is cut off at its write deadline, freeing its place.
 */
@IntegrationTest
class FeedExportFairnessIT {

	private static final String EXPORT = "/api/v2/rv-activity-feed/export?format=csv";

	/** About 8 MB of CSV per tenant: far more than the socket buffers take. */
	private static final int ROWS = 6000;

	@LocalServerPort
	int port;

	@Autowired
	TestTenants tenants;

	@Autowired
	BulkSessions bulk;

	@Autowired
	OpenResponses openResponses;

	@Autowired
	ExportProperties properties;

	@Autowired
	HikariDataSource dataSource;

	@Test
	void stalledExportsAtTheCapLeaveTheFeedAndWritesAnswering() throws Exception {
		HttpApi api = new HttpApi(this.port);
		int total = this.openResponses.total(OpenResponses.Kind.EXPORT);
		int perKey = this.properties.maxPerKey();
		int perTenant = this.properties.maxPerTenant();
		List<StalledClient> stalled = new ArrayList<>();
		try {
			// one tenant's stalled exports: the key's cap, then the tenant's
			TestTenants.TestTenant first = this.tenants.create();
			this.bulk.insertLarge(first.id(), ROWS);
			for (int i = 0; i < Math.min(perKey, total); i++) {
				stalled.add(stalledExport(first.key(), 200));
			}
			HttpApi.Reply overKey = api.get(EXPORT).key(first.key()).send();
			assertStandardError(overKey, 429);
			assertThat(overKey.header("Retry-After")).isEqualTo("10");
			assertThat(overKey.json().get("message").asString()).contains("this API key");

			// meanwhile another tenant's export runs at once
			TestTenants.TestTenant victim = this.tenants.create();
			WriteApi victimWrites = new WriteApi(api, victim.key());
			victimWrites.createSession(UUID.randomUUID(), "2026-09-02T10:00:00Z");
			assertPrompt(() -> {
				HttpApi.Reply export = api.get(EXPORT).key(victim.key()).send();
				assertThat(export.status()).isEqualTo(200);
				assertThat(Csv.parse(export.body())).hasSize(2);
			});

			// more stalled exports, with more keys and then more tenants, until the
			// instance's cap is reached
			TestTenants.TestTenant attacker = first;
			int ofAttacker = stalled.size();
			while (stalled.size() < total) {
				if (ofAttacker >= perTenant) {
					if (attacker == first) {
						String more = this.tenants.addKey(first.id(), "one too many", EnumSet.of(Scope.FEED_READ));
						HttpApi.Reply overTenant = api.get(EXPORT).key(more).send();
						assertStandardError(overTenant, 429);
						assertThat(overTenant.json().get("message").asString()).contains("this tenant");
					}
					attacker = this.tenants.create();
					this.bulk.insertLarge(attacker.id(), ROWS);
					ofAttacker = 0;
				}
				String key = this.tenants.addKey(attacker.id(), "stalled export", EnumSet.of(Scope.FEED_READ));
				stalled.add(stalledExport(key, 200));
				ofAttacker++;
			}
			long cappedAt = System.nanoTime();
			String victimKey = victim.key();
			System.out.printf("Export cap: %d stalled exports running (pool %d connections, %d active)%n",
					stalled.size(), this.dataSource.getMaximumPoolSize(),
					this.dataSource.getHikariPoolMXBean().getActiveConnections());
			// the stalled exports keep their connections; the background work (the
			// compactors folding the attackers' bulk inserts) ends within seconds
			long settled = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (this.dataSource.getHikariPoolMXBean().getActiveConnections() > total + 2
					&& System.nanoTime() < settled) {
				Thread.sleep(100);
			}
			assertThat(this.dataSource.getHikariPoolMXBean().getActiveConnections())
				.as("stalled exports hold at most their share of the pool")
				.isLessThanOrEqualTo(total + 2);

			// the cap answers at once, for any tenant
			assertPrompt(() -> {
				HttpApi.Reply refused = api.get(EXPORT).key(victimKey).send();
				assertStandardError(refused, 429);
				assertThat(refused.header("Retry-After")).isEqualTo("10");
			});
			// the feed and the write API answer promptly, also many at once
			ExecutorService pool = Executors.newFixedThreadPool(8);
			try {
				List<CompletableFuture<Void>> calls = new ArrayList<>();
				for (int i = 0; i < 16; i++) {
					int n = i;
					calls.add(CompletableFuture.runAsync(() -> assertPrompt(() -> {
						if (n % 2 == 0) {
							assertThat(api.get("/api/v2/rv-activity-feed/?limit=5").key(victimKey).send().status())
								.isEqualTo(200);
						}
						else {
							victimWrites.createSession(UUID.randomUUID(), "2026-09-02T11:" + (10 + n) + ":00Z");
						}
					}), pool));
				}
				CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
			}
			finally {
				pool.shutdownNow();
			}

			// stalled exports are cut off at the write deadline, which frees their places
			Duration deadline = this.properties.writeDeadline();
			Thread.sleep(Math.max(0,
					deadline.plusSeconds(2).toMillis() - Duration.ofNanos(System.nanoTime() - cappedAt).toMillis()));
			long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			int status = 0;
			while (System.nanoTime() < end && status != 200) {
				HttpApi.Reply export = api.get(EXPORT).key(victimKey).send();
				status = export.status();
				if (status == 200) {
					assertThat(Csv.parse(export.body())).hasSize(10);
				}
				else {
					Thread.sleep(500);
				}
			}
			assertThat(status).as("an export once the stalled ones were cut off").isEqualTo(200);
			for (StalledClient client : stalled) {
				assertThat(client.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
			}
		}
		finally {
			for (StalledClient client : stalled) {
				client.close();
			}
		}
	}

	private StalledClient stalledExport(String key, int expectedStatus) throws Exception {
		StalledClient client = new StalledClient(this.port, EXPORT, key);
		assertThat(client.status(Duration.ofSeconds(10))).isEqualTo(expectedStatus);
		return client;
	}

	/** Runs the call and checks that it answered within two seconds. */
	private static void assertPrompt(Runnable call) {
		long started = System.nanoTime();
		call.run();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
	}

}
