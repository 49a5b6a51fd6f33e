package io.rvfeed.db;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;

import io.rvfeed.support.ExtraService;
import io.rvfeed.support.FeedApi;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ReplicatedPostgres;
import io.rvfeed.support.SseClient;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.TestTenants.TestTenant;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads from a real streaming replica ({@link ReplicatedPostgres}: a primary and a
 * replica made with {@code pg_basebackup -R}, started by the test). What a read returns
 * tells which server served it: with the replica's replay paused, a session written since
 * is on the primary only. Two services share the pair: one that tolerates any lag (so a
 * paused replica still serves), and one with a max-lag of 1 s. Nothing here depends on
 * how fast anything runs: waits are for a state, with a generous deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadReplicaIT {

	private static final String FEED = "/api/v2/rv-activity-feed/?limit=500";

	ReplicatedPostgres servers;

	ConfigurableApplicationContext tolerant;

	ConfigurableApplicationContext strict;

	TestTenant tenant;

	@BeforeAll
	void start() throws Exception {
		this.servers = ReplicatedPostgres.start();
		this.tolerant = service("1h");
		this.strict = service("1s");
		this.tenant = this.tolerant.getBean(TestTenants.class).create();
		this.servers.awaitReplayed();
		awaitInUse(this.tolerant, true);
		awaitInUse(this.strict, true);
	}

	private ConfigurableApplicationContext service(String maxLag) {
		return service(maxLag, this.servers.replicaUrl());
	}

	private ConfigurableApplicationContext service(String maxLag, String readUrl) {
		List<String> args = new ArrayList<>();
		args.add("--spring.datasource.url=" + this.servers.primaryUrl());
		args.add("--spring.datasource.username=postgres");
		args.add("--rvfeed.read-replica.url=" + readUrl);
		args.add("--rvfeed.read-replica.max-lag=" + maxLag);
		args.add("--rvfeed.read-replica.check-interval=200ms");
		return ExtraService.start(args);
	}

	@AfterAll
	void stop() throws Exception {
		for (ConfigurableApplicationContext service : new ConfigurableApplicationContext[] { this.tolerant,
				this.strict }) {
			if (service != null) {
				service.close();
			}
		}
		if (this.servers != null) {
			this.servers.close();
		}
	}

	@Test
	void readsComeFromTheReplicaAndATokenReadsTheWriteItCameWith() throws Exception {
		HttpApi api = new HttpApi(ExtraService.port(this.tolerant));
		WriteApi write = new WriteApi(api, this.tenant.key());
		UUID before = write.createSession(UUID.randomUUID(), Instant.now().toString());
		this.servers.awaitReplayed();
		awaitIds(api, null, (ids) -> ids.contains(before));
		// the cursor feeds show a commit once the transactions older than it have ended
		await("the changes and events to show the session",
				() -> changes(api, null).contains(before) && events(api, null).contains(before));
		this.servers.pauseReplay();
		try {
			HttpApi.Reply written = create(api);
			UUID after = id(written);
			String token = written.header(ReadDatabase.CONSISTENCY_TOKEN_HEADER);
			assertThat(token).as("a write answers a consistency token").matches("[0-9A-F]+/[0-9A-F]+");

			double fresh = reads(this.tolerant, "replica", "fresh");
			double byToken = reads(this.tolerant, "primary", "token");
			// without the token: the replica, which has not replayed the write
			assertThat(ids(api, null)).contains(before).doesNotContain(after);
			assertThat(changes(api, null)).contains(before).doesNotContain(after);
			assertThat(events(api, null)).contains(before).doesNotContain(after);
			assertThat(export(api, null)).contains(before.toString()).doesNotContain(after.toString());
			assertThat(eventsExport(api, null)).contains(before.toString()).doesNotContain(after.toString());
			assertThat(reads(this.tolerant, "replica", "fresh")).isGreaterThanOrEqualTo(fresh + 5);
			// with it: the primary, as the replica is behind the token
			assertThat(ids(api, token)).contains(before, after);
			await("the primary's changes and events to show the write", () -> changes(api, token).contains(after)
					&& events(api, token).containsAll(List.of(before, after)));
			assertThat(changes(api, token)).contains(before, after);
			assertThat(export(api, token)).contains(after.toString());
			assertThat(eventsExport(api, token)).contains(after.toString());
			assertThat(reads(this.tolerant, "primary", "token")).isGreaterThanOrEqualTo(byToken + 5);
			assertThat(inUse(this.tolerant)).isEqualTo(1);

			// a token that is not one: 400, naming the header
			HttpApi.Reply bad = api.get(FEED)
				.key(this.tenant.key())
				.header(ReadDatabase.CONSISTENCY_TOKEN_HEADER, "yesterday")
				.send();
			FeedApi.assertBadRequest(bad, ReadDatabase.CONSISTENCY_TOKEN_HEADER);

			this.servers.resumeReplay();
			// once the replica has replayed past the token, it serves the read with it
			awaitIds(api, null, (ids) -> ids.contains(after));
			double tokenOnPrimary = reads(this.tolerant, "primary", "token");
			double onReplica = reads(this.tolerant, "replica", "fresh");
			assertThat(ids(api, token)).contains(after);
			assertThat(reads(this.tolerant, "primary", "token")).isEqualTo(tokenOnPrimary);
			assertThat(reads(this.tolerant, "replica", "fresh")).isGreaterThan(onReplica);
		}
		finally {
			this.servers.resumeReplay();
		}
	}

	@Test
	void liveStreamsReadChangesFromTheReplicaAsItReplaysThem() throws Exception {
		HttpApi api = new HttpApi(ExtraService.port(this.tolerant));
		this.servers.awaitReplayed();
		try (SseClient stream = new SseClient(api.origin() + "/api/v2/rv-activity-feed/stream", this.tenant.key(),
				null)) {
			assertThat(stream.status()).isEqualTo(200);
			this.servers.pauseReplay();
			try {
				UUID written = id(create(api));
				// the stream's polls go to the replica, which has not replayed the write
				double polled = reads(this.tolerant, "replica", "fresh");
				await("three polls of the replica", () -> reads(this.tolerant, "replica", "fresh") >= polled + 3);
				List<SseClient.Event> early = stream.awaitUntil((events) -> false, Duration.ofMillis(300));
				assertThat(early).noneSatisfy((event) -> assertThat(event.data()).contains(written.toString()));
				this.servers.resumeReplay();
				List<SseClient.Event> events = stream.awaitUntil(
						(received) -> received.stream().anyMatch((event) -> event.data().contains(written.toString())),
						Duration.ofSeconds(60));
				assertThat(events).anySatisfy((event) -> assertThat(event.data()).contains(written.toString()));
			}
			finally {
				this.servers.resumeReplay();
			}
		}
	}

	@Test
	void aReplicaLaggingMoreThanMaxLagIsLeftForThePrimaryUntilItCatchesUp() throws Exception {
		HttpApi api = new HttpApi(ExtraService.port(this.strict));
		this.servers.awaitReplayed();
		awaitInUse(this.strict, true);
		this.servers.pauseReplay();
		try {
			UUID written = id(create(new HttpApi(ExtraService.port(this.strict))));
			// the lag grows past 1 s while replay is paused: reads go to the primary
			awaitInUse(this.strict, false);
			double lagged = reads(this.strict, "primary", "lag");
			assertThat(ids(api, null)).contains(written);
			await("the primary's changes to show the write", () -> changes(api, null).contains(written));
			assertThat(reads(this.strict, "primary", "lag")).isGreaterThanOrEqualTo(lagged + 2);
			// routing counts the lag up to now; the gauge shows it as of the last check
			await("the lag gauge to pass max-lag", () -> lag(this.strict) > 1.0);
		}
		finally {
			this.servers.resumeReplay();
		}
		awaitInUse(this.strict, true);
		assertThat(lag(this.strict)).isLessThanOrEqualTo(1.0);
	}

	@Test
	void aReplicaThatIsDownIsLeftForThePrimaryUntilItIsBack() throws Exception {
		HttpApi api = new HttpApi(ExtraService.port(this.tolerant));
		this.servers.stopReplica();
		try {
			UUID written = id(create(api));
			// a read that met the replica's pooled connections as it went down may fail,
			// retryably, but is never an internal error
			int status = api.get(FEED).key(this.tenant.key()).send().status();
			assertThat(status).isIn(200, 503);
			awaitInUse(this.tolerant, false);
			// then every read answers, from the primary, while the replica is down
			double unreachable = reads(this.tolerant, "primary", "unreachable");
			await("the primary's events to show the write", () -> events(api, null).contains(written));
			for (int i = 0; i < 3; i++) {
				assertThat(ids(api, null)).contains(written);
				assertThat(events(api, null)).contains(written);
			}
			assertThat(export(api, null)).contains(written.toString());
			assertThat(reads(this.tolerant, "primary", "unreachable")).isGreaterThanOrEqualTo(unreachable + 7);
		}
		finally {
			this.servers.startReplica();
		}
		awaitInUse(this.tolerant, true);
		this.servers.awaitReplayed();
		// a pooled connection from before the restart may still send a read to the
		// primary, once; then the replica serves them again
		await("a read served by the replica again", () -> {
			double fresh = reads(this.tolerant, "replica", "fresh");
			assertThat(api.get(FEED).key(this.tenant.key()).send().status()).isEqualTo(200);
			return reads(this.tolerant, "replica", "fresh") > fresh;
		});
	}

	/**
	 * A read URL naming a server that is not a standby (here the primary) never serves
	 * reads.
	 */
	@Test
	void aReadUrlThatIsNotAReplicaIsNeverUsed() throws Exception {
		try (ConfigurableApplicationContext misconfigured = service("1h", this.servers.primaryUrl())) {
			HttpApi api = new HttpApi(ExtraService.port(misconfigured));
			UUID written = id(create(api));
			await("the check to find the read URL is no replica", () -> {
				assertThat(ids(api, null)).contains(written);
				return reads(misconfigured, "primary", "not-a-replica") > 0;
			});
			assertThat(inUse(misconfigured)).isZero();
			assertThat(reads(misconfigured, "replica", "fresh")).isZero();
		}
	}

	private HttpApi.Reply create(HttpApi api) {
		UUID sessionId = UUID.randomUUID();
		HttpApi.Reply reply = new WriteApi(api, this.tenant.key())
			.create("{\"session_id\":\"" + sessionId + "\",\"device_id\":\"" + UUID.randomUUID()
					+ "\",\"device_name\":\"Replica test\",\"created_at\":\"" + Instant.now() + "\"}");
		assertThat(reply.status()).isEqualTo(201);
		return reply;
	}

	private static UUID id(HttpApi.Reply created) {
		return UUID.fromString(created.json().get("content").get("session_id").asString());
	}

	private List<UUID> ids(HttpApi api, String token) {
		HttpApi.Reply reply = withToken(api.get(FEED).key(this.tenant.key()), token).send();
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		return FeedApi.ids(FeedApi.content(reply));
	}

	private List<UUID> changes(HttpApi api, String token) {
		HttpApi.Reply reply = withToken(api.get("/api/v2/rv-activity-feed/changes?limit=500").key(this.tenant.key()),
				token)
			.send();
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		List<UUID> ids = new ArrayList<>();
		FeedApi.content(reply)
			.get("results")
			.forEach((change) -> ids.add(UUID.fromString(change.get("session_id").asString())));
		return ids;
	}

	private List<UUID> events(HttpApi api, String token) {
		HttpApi.Reply reply = withToken(api.get("/api/v2/rv-session-events/?limit=500").key(this.tenant.key()), token)
			.send();
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		List<UUID> ids = new ArrayList<>();
		FeedApi.content(reply)
			.get("results")
			.forEach((event) -> ids.add(UUID.fromString(event.get("session_id").asString())));
		return ids;
	}

	private String export(HttpApi api, String token) {
		HttpApi.Reply reply = withToken(api.get("/api/v2/rv-activity-feed/export?format=ndjson").key(this.tenant.key()),
				token)
			.send();
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		return reply.body();
	}

	private String eventsExport(HttpApi api, String token) {
		HttpApi.Reply reply = withToken(
				api.get("/api/v2/rv-session-events/export?format=ndjson").key(this.tenant.key()), token)
			.send();
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		return reply.body();
	}

	private static HttpApi.Call withToken(HttpApi.Call call, String token) {
		return (token != null) ? call.header(ReadDatabase.CONSISTENCY_TOKEN_HEADER, token) : call;
	}

	private void awaitIds(HttpApi api, String token, java.util.function.Predicate<List<UUID>> done) {
		await("the feed to show the session", () -> done.test(ids(api, token)));
	}

	private static double reads(ConfigurableApplicationContext service, String source, String reason) {
		Counter counter = service.getBean(MeterRegistry.class)
			.find("rvfeed.read_replica.reads")
			.tag("source", source)
			.tag("reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static double inUse(ConfigurableApplicationContext service) {
		Gauge gauge = service.getBean(MeterRegistry.class).find("rvfeed.read_replica.in_use").gauge();
		assertThat(gauge).as("rvfeed.read_replica.in_use").isNotNull();
		return gauge.value();
	}

	private static double lag(ConfigurableApplicationContext service) {
		return service.getBean(MeterRegistry.class).find("rvfeed.read_replica.lag").gauge().value();
	}

	private static void awaitInUse(ConfigurableApplicationContext service, boolean replica) {
		await("reads to go to the " + (replica ? "replica" : "primary"), () -> inUse(service) == (replica ? 1 : 0));
	}

	private static void await(String what, BooleanSupplier done) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!done.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Waited 60 s for " + what);
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
