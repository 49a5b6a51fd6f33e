package io.rvfeed.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on loopback (JDK HttpServer) that checks each delivery's signature
 * with its own implementation of Standard Webhooks 1.0, written from the specification
 * rather than from the service's code: the secret is the base64 after {@code whsec_}; the
 * signed content is {@code id.timestamp.body}; the header holds space-separated
 * {@code v1,<base64 HMAC-SHA256>}; the timestamp must be within 5 minutes.
 */
final class WebhookReceiver implements AutoCloseable {

	/** What the receiver got. {@code validFor}: the secrets a signature verified with. */
	record Delivery(String path, String id, String timestamp, String signature, String body, List<String> validFor,
			long receivedNanos) {

		boolean valid() {
			return !this.validFor.isEmpty();
		}

	}

	/** The answer to a delivery: a status, or -1 to hang until the receiver closes. */
	private volatile BiFunction<String, Integer, Integer> behaviour = (path, n) -> 204;

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	/**
	 * Appended under its own lock: a copy-on-write list copied itself on every delivery,
	 * quadratic in a bench's tens of thousands.
	 */
	private final List<Delivery> deliveries = new ArrayList<>();

	/** Deliveries per path, for {@link #await} to poll without scanning them all. */
	private final Map<String, AtomicInteger> perPath = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> perId = new ConcurrentHashMap<>();

	private final Map<String, List<String>> secrets = new ConcurrentHashMap<>();

	private final CountDownLatch closing = new CountDownLatch(1);

	WebhookReceiver() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	/** The secrets signatures to {@code path} are checked against. */
	void secrets(String path, String... whsec) {
		this.secrets.put(path, List.of(whsec));
	}

	/** (path, attempt number of this webhook-id from 1) -> status, or -1 to hang. */
	void answer(BiFunction<String, Integer, Integer> behaviour) {
		this.behaviour = behaviour;
	}

	List<Delivery> deliveries(String path) {
		synchronized (this.deliveries) {
			return this.deliveries.stream().filter((d) -> d.path().equals(path)).toList();
		}
	}

	List<Delivery> all() {
		synchronized (this.deliveries) {
			return new ArrayList<>(this.deliveries);
		}
	}

	private int count(String path) {
		AtomicInteger count = this.perPath.get(path);
		return (count != null) ? count.get() : 0;
	}

	/** Waits until {@code path} has had {@code count} deliveries; answers them. */
	List<Delivery> await(String path, int count, Duration within) throws InterruptedException {
		long deadline = System.nanoTime() + within.toNanos();
		while (count(path) < count && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		return deliveries(path);
	}

	private void handle(HttpExchange exchange) throws IOException {
		long received = System.nanoTime();
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		String path = exchange.getRequestURI().getPath();
		String id = header(exchange, "webhook-id");
		String timestamp = header(exchange, "webhook-timestamp");
		String signature = header(exchange, "webhook-signature");
		List<String> validFor = verify(this.secrets.getOrDefault(path, List.of()), id, timestamp, signature, body);
		synchronized (this.deliveries) {
			this.deliveries.add(new Delivery(path, id, timestamp, signature, body, validFor, received));
		}
		this.perPath.computeIfAbsent(path, (key) -> new AtomicInteger()).incrementAndGet();
		int attempt = this.perId.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
		int status = this.behaviour.apply(path, attempt);
		if (status < 0) {
			try {
				this.closing.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			status = 503;
		}
		byte[] answer = ("{\"received\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
		try {
			exchange.sendResponseHeaders(status, (status == 204) ? -1 : answer.length);
			try (OutputStream out = exchange.getResponseBody()) {
				if (status != 204) {
					out.write(answer);
				}
			}
		}
		catch (IOException ex) {
			// the sender gave up waiting
		}
	}

	private static String header(HttpExchange exchange, String name) {
		String value = exchange.getRequestHeaders().getFirst(name);
		return (value != null) ? value : "";
	}

	/** Standard Webhooks verification, from the specification. */
	static List<String> verify(List<String> secrets, String id, String timestamp, String header, String body) {
		List<String> valid = new ArrayList<>();
		long ts;
		try {
			ts = Long.parseLong(timestamp);
		}
		catch (NumberFormatException ex) {
			return valid;
		}
		if (Math.abs(System.currentTimeMillis() / 1000 - ts) > 300) {
			return valid;
		}
		for (String secret : secrets) {
			byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
			String expected;
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(new SecretKeySpec(key, "HmacSHA256"));
				expected = Base64.getEncoder()
					.encodeToString(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			for (String part : header.split(" ")) {
				String[] versioned = part.split(",", 2);
				if (versioned.length == 2 && versioned[0].equals("v1") && MessageDigest.isEqual(
						versioned[1].getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
					valid.add(secret);
				}
			}
		}
		return valid;
	}

	@Override
	public void close() {
		this.closing.countDown();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
