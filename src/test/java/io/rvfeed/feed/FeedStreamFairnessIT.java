package io.rvfeed.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.rvfeed.auth.Scope;
import io.rvfeed.support.BulkSessions;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.SseClient;
import io.rvfeed.support.StalledClient;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tenant's clients that never read their live streams stall neither the other
 * tenants' streams nor anything else, are disconnected at the write deadline, and cannot
 * open more streams than the caps allow.
 */
@IntegrationTest
class FeedStreamFairnessIT {

	private static final String STREAM = "/api/v2/rv-activity-feed/stream";

	@LocalServerPort
	int port;

	@Autowired
	TestTenants tenants;

	@Autowired
	BulkSessions bulk;

	@Autowired
	StreamProperties properties;

	@Autowired
	FeedStreams streams;

	@Test
	void neverReadingStreamsOfOneTenantDoNotDelayAnotherTenantsUpdates() throws Exception {
		TestTenants.TestTenant attacker = this.tenants.create();
		TestTenants.TestTenant victim = this.tenants.create();
		WriteApi victimWrites = new WriteApi(new HttpApi(this.port), victim.key());
		List<StalledClient> stalled = new ArrayList<>();
		try (SseClient victimStream = new SseClient("http://localhost:" + this.port + STREAM, victim.key(), null)) {
			assertThat(victimStream.status()).isEqualTo(200);
			for (int i = 0; i < 3; i++) {
				StalledClient client = new StalledClient(this.port, STREAM, attacker.key());
				stalled.add(client);
				assertThat(client.status(Duration.ofSeconds(5))).isEqualTo(200);
			}
			// about 4 MB of changes for each stalled stream: far more than the socket
			// buffers take
			this.bulk.insertLarge(attacker.id(), 3000);
			long stalledFrom = System.nanoTime();
			Thread.sleep(2000);

			for (int round = 0; round < 3; round++) {
				UUID session = victimWrites.createSession(UUID.randomUUID(), "2026-09-01T10:0" + round + ":00Z");
				long written = System.nanoTime();
				List<SseClient.Event> events = victimStream.awaitUntil(
						(received) -> received.stream().anyMatch((e) -> e.data().contains(session.toString())),
						Duration.ofSeconds(10));
				Duration latency = Duration.ofNanos(System.nanoTime() - written);
				System.out.printf("Victim's stream received its session %d ms after the write%n", latency.toMillis());
				assertThat(events).anyMatch((e) -> e.data().contains(session.toString()));
				assertThat(latency).isLessThan(Duration.ofSeconds(2));
			}

			// each stalled stream is cut off once it has taken nothing for the write
			// deadline (after the socket buffers filled), and its client sees the end
			long end = stalledFrom + Duration.ofSeconds(45).toNanos();
			while (this.streams.openStreams(attacker.id()) > 0 && System.nanoTime() < end) {
				Thread.sleep(250);
			}
			System.out.printf("Stalled streams disconnected %d ms after the attack began (write deadline %s)%n",
					Duration.ofNanos(System.nanoTime() - stalledFrom).toMillis(), this.properties.writeDeadline());
			assertThat(this.streams.openStreams(attacker.id())).isZero();
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

	@Test
	void streamsOverTheKeyOrTenantCapAreRefusedWith429() throws Exception {
		TestTenants.TestTenant tenant = this.tenants.create();
		int perKey = this.properties.maxPerKey();
		int perTenant = this.properties.maxPerTenant();
		HttpApi api = new HttpApi(this.port);
		List<SseClient> open = new ArrayList<>();
		try {
			String key = tenant.key();
			for (int i = 0; i < perKey; i++) {
				open.add(new SseClient("http://localhost:" + this.port + STREAM, key, null));
			}
			assertThat(open).allSatisfy((stream) -> assertThat(stream.status()).isEqualTo(200));
			HttpApi.Reply overKey = api.get(STREAM).key(key).header("Accept", "text/event-stream").send();
			assertStandardError(overKey, 429);
			assertThat(overKey.header("Retry-After")).isEqualTo("10");
			assertThat(overKey.json().get("message").asString()).contains("this API key");

			while (open.size() < perTenant) {
				String another = this.tenants.addKey(tenant.id(), "more streams", EnumSet.of(Scope.FEED_READ));
				for (int i = 0; i < perKey && open.size() < perTenant; i++) {
					SseClient stream = new SseClient("http://localhost:" + this.port + STREAM, another, null);
					open.add(stream);
					assertThat(stream.status()).isEqualTo(200);
				}
			}
			String fresh = this.tenants.addKey(tenant.id(), "one too many", EnumSet.of(Scope.FEED_READ));
			HttpApi.Reply overTenant = api.get(STREAM).key(fresh).header("Accept", "text/event-stream").send();
			assertStandardError(overTenant, 429);
			assertThat(overTenant.header("Retry-After")).isEqualTo("10");
			assertThat(overTenant.json().get("message").asString()).contains("this tenant");

			// other tenants are not affected
			try (SseClient other = new SseClient("http://localhost:" + this.port + STREAM, this.tenants.create().key(),
					null)) {
				assertThat(other.status()).isEqualTo(200);
			}
		}
		finally {
			for (SseClient stream : open) {
				stream.close();
			}
		}
	}

}
