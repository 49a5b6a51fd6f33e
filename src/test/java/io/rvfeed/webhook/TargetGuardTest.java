package io.rvfeed.webhook;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where webhooks may go (SSRF), checked when a URL is set and when an attempt connects;
 * and how one attempt treats what the receiver does (redirects, big answers, hanging).
 */
class TargetGuardTest {

	private HttpServer server;

	private final AtomicInteger hits = new AtomicInteger();

	private final AtomicInteger redirectTargetHits = new AtomicInteger();

	private final CountDownLatch release = new CountDownLatch(1);

	static WebhookProperties properties(boolean allowPrivate, Duration timeout) {
		return new WebhookProperties(true, allowPrivate, List.of(Duration.ofSeconds(1)), Duration.ofDays(5), timeout,
				32, 4, Duration.ofMillis(250), Duration.ofHours(24), 50, Duration.ofDays(30), 0.8, 100);
	}

	@BeforeEach
	void start() throws Exception {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.createContext("/ok", (exchange) -> {
			this.hits.incrementAndGet();
			exchange.getRequestBody().readAllBytes();
			byte[] big = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, big.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(big);
			}
		});
		this.server.createContext("/redirect", (exchange) -> {
			this.hits.incrementAndGet();
			exchange.getResponseHeaders().add("Location", "/target");
			exchange.sendResponseHeaders(302, -1);
			exchange.close();
		});
		this.server.createContext("/target", (exchange) -> {
			this.redirectTargetHits.incrementAndGet();
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.server.createContext("/hang", (exchange) -> {
			this.hits.incrementAndGet();
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.server.createContext("/trickle", (exchange) -> {
			this.hits.incrementAndGet();
			exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(200, 100);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write('{');
				out.flush();
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (IOException ex) {
				// the sender gave up
			}
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.release.countDown();
		this.server.stop(0);
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/",
			"http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
			"http://100.100.100.200/", "http://0.0.0.0/", "http://224.0.0.1/", "http://[::1]/",
			"http://[::ffff:127.0.0.1]/", "http://[fd00:ec2::254]/", "http://[fe80::1]/" })
	void privateTargetsAreRefusedByDefault(String url) {
		assertThat(new TargetGuard(properties(false, Duration.ofSeconds(10))).urlProblem(url)).contains("resolves to");
	}

	@Test
	void privateTargetsAreAllowedWhenSwitchedOn() {
		assertThat(new TargetGuard(properties(true, Duration.ofSeconds(10))).urlProblem("http://127.0.0.1:8080/hook"))
			.isNull();
	}

	@Test
	void onlyHttpUrlsWithoutCredentialsArePublicTargets() {
		TargetGuard guard = new TargetGuard(properties(false, Duration.ofSeconds(10)));
		assertThat(guard.urlProblem("https://93.184.216.34/hook")).isNull();
		assertThat(guard.urlProblem("ftp://93.184.216.34/hook")).isEqualTo("must be an http or https URL.");
		assertThat(guard.urlProblem("file:///etc/passwd")).isEqualTo("must be an http or https URL.");
		assertThat(guard.urlProblem("https://user:pw@93.184.216.34/")).contains("credentials");
		assertThat(guard.urlProblem("not a url")).isNotNull();
		assertThat(guard.urlProblem("https://127.1/")).isNotNull();
		assertThat(guard.urlProblem("https:///path")).isNotNull();
	}

	@Test
	void anAttemptToALoopbackTargetIsRefusedAtConnectTimeWithoutSendingAByte() {
		Deliverer deliverer = new Deliverer(properties(false, Duration.ofSeconds(10)),
				new TargetGuard(properties(false, Duration.ofSeconds(10))));
		Deliverer.Outcome outcome = deliverer.send(url("/ok"), "msg_1", 1, "v1,x", "{}");
		assertThat(outcome.result()).isEqualTo("refused_target");
		assertThat(outcome.error()).contains("127.0.0.1");
		assertThat(this.hits).hasValue(0);
	}

	@Test
	void theAnswerIsKeptToOneKilobyteAndRedirectsAreNotFollowed() {
		WebhookProperties open = properties(true, Duration.ofSeconds(10));
		Deliverer deliverer = new Deliverer(open, new TargetGuard(open));
		Deliverer.Outcome ok = deliverer.send(url("/ok"), "msg_1", 1, "v1,x", "{}");
		assertThat(ok.result()).isEqualTo("success");
		assertThat(ok.responseBody()).hasSize(1024);
		Deliverer.Outcome redirect = deliverer.send(url("/redirect"), "msg_2", 1, "v1,x", "{}");
		assertThat(redirect.result()).isEqualTo("http_error");
		assertThat(redirect.statusCode()).isEqualTo(302);
		assertThat(redirect.error()).contains("redirect");
		assertThat(this.redirectTargetHits).hasValue(0);
	}

	/** A receiver that never answers, and one whose answer trickles past the timeout. */
	@ParameterizedTest
	@ValueSource(strings = { "/hang", "/trickle" })
	void aSlowReceiverTimesOutWithinTheTotalTimeout(String path) {
		WebhookProperties open = properties(true, Duration.ofSeconds(1));
		Deliverer deliverer = new Deliverer(open, new TargetGuard(open));
		long start = System.nanoTime();
		Deliverer.Outcome outcome = deliverer.send(url(path), "msg_1", 1, "v1,x", "{}");
		assertThat(outcome.result()).isEqualTo("timeout");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900),
				Duration.ofSeconds(3));
	}

	@Test
	void attemptsMakeNoThreadOfTheirOwn() {
		WebhookProperties open = properties(true, Duration.ofSeconds(10));
		Deliverer deliverer = new Deliverer(open, new TargetGuard(open));
		deliverer.send(url("/ok"), "msg_0", 1, "v1,x", "{}");
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long before = threads.getTotalStartedThreadCount();
		for (int i = 1; i <= 50; i++) {
			assertThat(deliverer.send(url("/ok"), "msg_" + i, 1, "v1,x", "{}").result()).isEqualTo("success");
		}
		// the receiver's pool may add a thread or two; not one per attempt
		assertThat(threads.getTotalStartedThreadCount() - before).isLessThan(10);
	}

}
