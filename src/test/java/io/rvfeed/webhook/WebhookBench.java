package io.rvfeed.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.StatisticsDeltas;
import io.rvfeed.support.TestTenants.TestTenant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures, and asserts nothing timed: batch ingest through the API without an endpoint
 * and with one active endpoint (the outbox trigger's cost), then how fast the messages
 * reach a local receiver: from the first write, and after the last write (delivery
 * alone). A warm-up tenant with an endpoint of its own first sends 2,000 small batches
 * and 50 full ones through ingest and delivery, until the JIT has settled (on two cores
 * it is still compiling a minute after start, and took a third of the CPU in an early
 * measurement). Each phase starts from folded statistics, a vacuum and a checkpoint, and
 * prints what the database did meanwhile. Runs only when asked:
 * {@code ./mvnw -o verify -Dit.test=WebhookBench -Dwebhook.bench=true -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "webhook.bench", matches = "true")
class WebhookBench extends ServiceTest {

	private static final int BATCHES = Integer.getInteger("webhook.bench.batches", 20);

	private static final int WARM_UP_BATCHES = Integer.getInteger("webhook.bench.warm-up-batches", 50);

	/**
	 * Small batches (33 events) sent before the warm-up's full ones. The JIT compiles a
	 * method fully once it has run some thousands of times, and most of a request's path
	 * runs once per request: after 50 batches alone the compiler threads still took
	 * 0.2-0.3 of the two cores during the measured phases. These requests get the path
	 * compiled while adding a tenth of the sessions the full batches do (default 2,000).
	 */
	private static final int WARM_UP_REQUESTS = Integer.getInteger("webhook.bench.warm-up-requests", 2000);

	private static final int SMALL_BATCH = 33;

	private static final int PER_BATCH = EndingBatches.PER_BATCH;

	/** Clients sending at once, each taking the next batch not yet sent (default 1). */
	private static final int CLIENTS = Integer.getInteger("webhook.bench.clients", 1);

	/**
	 * Rounds of ingest without, then with the endpoint, each a share of the batches: the
	 * two figures are measured side by side, whatever the machine does meanwhile (default
	 * 1).
	 */
	private static final int ROUNDS = Integer.getInteger("webhook.bench.rounds", 1);

	/**
	 * Off ({@code -Dwebhook.bench.deliveries=false} with
	 * {@code -DargLine=-Drvfeed.webhook.delivery-enabled=false}) to measure what the
	 * outbox alone costs ingest.
	 */
	private static final boolean DELIVERIES = !"false".equals(System.getProperty("webhook.bench.deliveries"));

	@Autowired
	DSLContext db;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void ingestWithAndWithoutAnEndpointAndDeliveries() throws Exception {
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			HttpApi http = new HttpApi(this.port, false);
			TestTenant without = this.tenants.create();
			TestTenant with = this.tenants.create();
			Webhooks.Made endpoint = new Webhooks(http, with.key()).create(receiver.url("/bench"), "[]");
			receiver.secrets("/bench", endpoint.secret());
			List<String> plainBatches = batches(without, BATCHES + 2);
			List<String> hookedBatches = batches(with, BATCHES);
			// warm up both paths, and delivery until the JIT has settled: a tenant and
			// endpoint of their own, measured apart
			TestTenant warm = this.tenants.create();
			Webhooks.Made warmEndpoint = new Webhooks(http, warm.key()).create(receiver.url("/warm"), "[]");
			receiver.secrets("/warm", warmEndpoint.secret());
			send(http, without, plainBatches.remove(0));
			send(http, without, plainBatches.remove(0));
			long warmStart = System.nanoTime();
			ingest(http, warm, EndingBatches.of(this.fixtures, warm, WARM_UP_REQUESTS * SMALL_BATCH / 3, SMALL_BATCH));
			ingest(http, warm, batches(warm, WARM_UP_BATCHES));
			List<WebhookReceiver.Delivery> warmed = receiver.await("/warm", count(warm),
					DELIVERIES ? Duration.ofMinutes(10) : Duration.ZERO);
			System.out.printf("Webhook bench warm-up: %d messages in %.1f s%n", warmed.size(),
					(System.nanoTime() - warmStart) / 1e9);

			long start = 0;
			double plainSeconds = 0;
			double hookedSeconds = 0;
			for (int round = 0; round < ROUNDS; round++) {
				settle();
				vacuum();
				checkpoint();
				Database before = database();
				plainSeconds += ingest(http, without, share(plainBatches, round));
				System.out.println(
						Instant.now() + " Webhook bench, database without an endpoint: " + database().since(before));
				if (round == 0) {
					start = System.nanoTime();
				}
				settle();
				vacuum();
				checkpoint();
				before = database();
				hookedSeconds += ingest(http, with, share(hookedBatches, round));
				System.out.println(Instant.now() + " Webhook bench, database with one: " + database().since(before));
			}
			long written = System.nanoTime();
			double plain = plainBatches.size() * PER_BATCH / plainSeconds;
			double hooked = hookedBatches.size() * PER_BATCH / hookedSeconds;
			int messages = count(with);
			if (!DELIVERIES) {
				System.out.printf("Webhook bench, delivery off: batch ingest %.0f events/s without an endpoint, %.0f "
						+ "events/s with one%n", plain, hooked);
				return;
			}
			List<WebhookReceiver.Delivery> got = receiver.await("/bench", messages, Duration.ofMinutes(10));
			long last = got.stream().mapToLong(WebhookReceiver.Delivery::receivedNanos).max().orElse(written);
			double seconds = (last - start) / 1e9;
			long afterIngest = got.stream().filter((d) -> d.receivedNanos() > written).count();
			double drain = (last - written) / 1e9;
			System.out.printf(
					"Webhook bench: batch ingest %.0f events/s without an endpoint, %.0f events/s with one; %d messages "
							+ "delivered in %.1f s from the first write: %.0f messages/s; after the last write %d "
							+ "messages in %.1f s: %.0f messages/s%n",
					plain, hooked, got.size(), seconds, got.size() / seconds, afterIngest, drain,
					afterIngest / Math.max(drain, 1e-3));
			assertThat(got).hasSize(messages);
		}
	}

	/** Sessions made directly, then their three changes in batches of 999 events. */
	private List<String> batches(TestTenant tenant, int count) {
		return EndingBatches.of(this.fixtures, tenant, count * PER_BATCH / 3);
	}

	private static List<String> share(List<String> batches, int round) {
		int size = (batches.size() + ROUNDS - 1) / ROUNDS;
		return batches.subList(Math.min(batches.size(), round * size), Math.min(batches.size(), (round + 1) * size));
	}

	/** Sends the batches with {@link #CLIENTS} clients; answers the seconds it took. */
	private static double ingest(HttpApi http, TestTenant tenant, List<String> batches) throws Exception {
		Queue<String> toSend = new ConcurrentLinkedQueue<>(batches);
		long start = System.nanoTime();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		try {
			List<Future<?>> sending = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				sending.add(clients.submit(() -> {
					for (String batch = toSend.poll(); batch != null; batch = toSend.poll()) {
						send(http, tenant, batch);
					}
				}));
			}
			for (Future<?> client : sending) {
				client.get();
			}
		}
		finally {
			clients.shutdownNow();
		}
		return (System.nanoTime() - start) / 1e9;
	}

	private static void send(HttpApi http, TestTenant tenant, String batch) {
		HttpApi.Reply reply = http.request("POST", "/api/v2/rv-sessions/events:batch", batch)
			.key(tenant.key())
			.header("Content-Type", "application/json")
			.send();
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
	}

	/**
	 * Each phase starts once the counts and statistics have folded the deltas of what
	 * came before. Their compactors fold in the background: the first phase ended with
	 * about 12,000 device deltas still waiting, and the second, measured while folding
	 * them, paid for a sixth of the first's statistics.
	 */
	private void settle() throws InterruptedException {
		long start = System.nanoTime();
		long deadline = start + Duration.ofMinutes(2).toNanos();
		long waiting = StatisticsDeltas.leftInAll(this.jdbc);
		while (waiting > 0 && System.nanoTime() < deadline) {
			Thread.sleep(100);
			waiting = StatisticsDeltas.leftInAll(this.jdbc);
		}
		System.out.printf("Webhook bench: %d deltas waiting after %.1f s of settling%n", waiting,
				(System.nanoTime() - start) / 1e9);
	}

	/**
	 * Each phase starts with no vacuum owed. The sessions' table needs one after about a
	 * fifth of its rows were updated, which the first phase does; autovacuum then started
	 * it within its next minute, in whichever phase ran then: a vacuum of the sessions
	 * and the feed's delta tables fell into the phase with an endpoint and took about 4 %
	 * of the samples of a profile of it. A phase still pays the vacuums its own writes
	 * start.
	 */
	private void vacuum() {
		long start = System.nanoTime();
		this.db.execute("vacuum (analyze)");
		System.out.printf("Webhook bench: vacuumed in %.1f s%n", (System.nanoTime() - start) / 1e9);
	}

	/**
	 * Each phase starts from a checkpoint of its own. Otherwise the one the WAL of the
	 * warm-up and the first phase asks for (at 1 GB, about 500,000 events) falls into the
	 * second, which then pays its writes and the full-page images after it alone.
	 */
	private void checkpoint() {
		this.db.execute("checkpoint");
	}

	/**
	 * What the database did in a phase: blocks read from outside its shared buffers and
	 * found in them, WAL written, buffers the backends had to write out themselves,
	 * checkpoints (the statistics' views of PostgreSQL 17, the embedded server's), and
	 * the autovacuums and autoanalyzes per table.
	 */
	private record Database(long read, long hit, long walBytes, long backendWrites, long checkpoints,
			Map<String, Long> vacuums) {

		String since(Database before) {
			List<String> vacuumed = new ArrayList<>();
			this.vacuums.forEach((table, count) -> {
				long more = count - before.vacuums.getOrDefault(table, 0L);
				if (more > 0) {
					vacuumed.add(table + " " + more);
				}
			});
			return String.format(
					"%d blocks read, %d found in shared buffers (%.1f %%), %d MB of WAL, %d buffers "
							+ "written by backends, %d checkpoints, autovacuums and autoanalyzes %s",
					this.read - before.read, this.hit - before.hit,
					100.0 * (this.hit - before.hit) / Math.max(1, this.hit - before.hit + this.read - before.read),
					(this.walBytes - before.walBytes) >> 20, this.backendWrites - before.backendWrites,
					this.checkpoints - before.checkpoints, vacuumed);
		}

	}

	private Database database() {
		Record row = this.db.fetchOne("""
				select (select sum(blks_read) from pg_stat_database)::bigint,
				       (select sum(blks_hit) from pg_stat_database)::bigint,
				       pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
				       (select sum(writes) from pg_stat_io where backend_type = 'client backend')::bigint,
				       (select num_timed + num_requested from pg_stat_checkpointer)::bigint""");
		Map<String, Long> vacuums = new TreeMap<>();
		this.db.fetch("select relname, autovacuum_count + autoanalyze_count from pg_stat_user_tables")
			.forEach((table) -> vacuums.put(table.get(0, String.class), table.get(1, Long.class)));
		return new Database(row.get(0, Long.class), row.get(1, Long.class), row.get(2, Long.class),
				row.get(3, Long.class), row.get(4, Long.class), vacuums);
	}

	private int count(TestTenant tenant) {
		// in the delivery log, or still in the outbox
		return this.db
			.fetchOne("""
					select (select count(*) from webhook_message where tenant_id = ?)
					     + (select coalesce(sum(cardinality(arrivals)), 0) from webhook_outbox where tenant_id = ?)""",
					tenant.id(), tenant.id())
			.get(0, Integer.class);
	}

}
