package io.rvfeed.feed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.support.FeedApi;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counts kept on write (V4) against the rows: many threads create sessions and move
 * them through their states, singly and in batches, while others read counts and the
 * compactor folds deltas. Afterwards every state x quality count, read from the kept
 * counts, equals the same count read from the rows (a created_at filter makes the feed
 * count rows) and what the writers did, before and after compaction.
 */
class FeedCountsIT extends ServiceTest {

	private static final List<String> STATES = List.of("INITIATED", "ACKNOWLEDGED", "ACTIVE", "TERMINATED", "FAILED");

	private static final List<String> QUALITIES = List.of("STANDARD", "DATA_SAVER");

	private static final int WRITERS = 6;

	private static final int SESSIONS_PER_WRITER = 25;

	@Autowired
	DSLContext db;

	@Autowired
	PlatformTransactionManager transactions;

	@Test
	void keptCountsEqualRowCountsUnderConcurrentWrites() throws Exception {
		TestTenant tenant = this.tenants.create();
		FeedApi feed = new FeedApi(this.port);
		WriteApi write = write(tenant);
		Map<UUID, String[]> expected = new ConcurrentHashMap<>();
		AtomicBoolean writing = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
		List<Future<?>> writers = new ArrayList<>();
		for (int w = 0; w < WRITERS; w++) {
			int seed = w;
			writers.add(pool.submit(() -> writeSessions(write, new Random(seed), expected)));
		}
		List<Future<?>> readers = new ArrayList<>();
		for (int r = 0; r < 2; r++) {
			readers.add(pool.submit(() -> {
				long last = 0;
				while (writing.get()) {
					long total = count(feed, tenant, "");
					// sessions are only ever added: a total that went down lost a delta
					assertThat(total).isGreaterThanOrEqualTo(last);
					last = total;
					count(feed, tenant, "states=ACTIVE,FAILED&video_qualities=DATA_SAVER");
				}
				return null;
			}));
		}
		for (Future<?> writer : writers) {
			writer.get(3, TimeUnit.MINUTES);
		}
		writing.set(false);
		for (Future<?> reader : readers) {
			reader.get(1, TimeUnit.MINUTES);
		}
		pool.shutdown();

		assertCountsMatch(feed, tenant, expected);
		new TransactionTemplate(this.transactions)
			.executeWithoutResult((status) -> KeptCounts.STATE_AND_QUALITY.compact(this.db));
		assertCountsMatch(feed, tenant, expected);
	}

	private static void writeSessions(WriteApi write, Random random, Map<UUID, String[]> expected) {
		for (int i = 0; i < SESSIONS_PER_WRITER; i++) {
			UUID id = UUID.randomUUID();
			String quality = QUALITIES.get(random.nextInt(2));
			HttpApi.Reply created = write.create("{\"session_id\":\"" + id + "\",\"device_id\":\"" + UUID.randomUUID()
					+ "\",\"device_name\":\"Counted " + i + "\",\"video_quality\":\"" + quality + "\"}");
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			String state = "INITIATED";
			int steps = random.nextInt(4);
			Instant at = Instant.parse("2026-05-01T08:00:00Z");
			for (int step = 1; step <= steps; step++) {
				String next = (step == 3) ? (random.nextBoolean() ? "TERMINATED" : "FAILED") : STATES.get(step);
				at = at.plusSeconds(5);
				HttpApi.Reply reply = random.nextBoolean() ? write.event(id, next, at.toString()) : write.batch(
						"{\"session_id\":\"" + id + "\",\"state\":\"" + next + "\",\"occurred_at\":\"" + at + "\"}\n",
						"application/x-ndjson");
				assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
				state = next;
			}
			expected.put(id, new String[] { state, quality });
		}
	}

	private static void assertCountsMatch(FeedApi feed, TestTenant tenant, Map<UUID, String[]> expected) {
		assertThat(count(feed, tenant, "")).isEqualTo(expected.size());
		for (String state : STATES) {
			for (String quality : QUALITIES) {
				long want = expected.values()
					.stream()
					.filter((e) -> e[0].equals(state) && e[1].equals(quality))
					.count();
				String filter = "states=" + state + "&video_qualities=" + quality;
				assertThat(count(feed, tenant, filter)).as(filter).isEqualTo(want);
				assertThat(count(feed, tenant, filter + "&created_at_gte=1970-01-01")).as(filter).isEqualTo(want);
			}
			long want = expected.values().stream().filter((e) -> e[0].equals(state)).count();
			assertThat(count(feed, tenant, "states=" + state)).isEqualTo(want);
		}
		assertThat(count(feed, tenant, "states=INITIATED,TERMINATED&video_qualities=STANDARD,DATA_SAVER"))
			.isEqualTo(expected.values()
				.stream()
				.filter((e) -> e[0].equals("INITIATED") || e[0].equals("TERMINATED"))
				.count());
	}

	private static long count(FeedApi feed, TestTenant tenant, String query) {
		return feed.page(tenant, "limit=1" + (query.isEmpty() ? "" : "&" + query)).get("count").asLong();
	}

}
