package io.rvfeed.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A minimal server-sent-events reader for tests, over a real HTTP connection. The reply's
 * status and headers (and an error's body) are checked against the OpenAPI document.
 */
public final class SseClient implements AutoCloseable {

	public record Event(String id, String name, String data) {
	}

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final InputStream body;

	private final int status;

	private final Thread reader;

	public SseClient(String url, String key, String lastEventId) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer " + key)
			.header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
		this.status = response.statusCode();
		URI uri = URI.create(url);
		String pathAndQuery = uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
		if (this.status == 200) {
			// the stream's status and headers; its events are checked by the tests
			ContractValidator.shared().check("GET", pathAndQuery, this.status, response.headers().map(), "");
			this.body = response.body();
		}
		else {
			byte[] error = response.body().readAllBytes();
			ContractValidator.shared()
				.check("GET", pathAndQuery, this.status, response.headers().map(),
						new String(error, StandardCharsets.UTF_8));
			this.body = new java.io.ByteArrayInputStream(error);
		}
		this.reader = new Thread(this::read, "sse-test-reader");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	public int status() {
		return this.status;
	}

	private void read() {
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(this.body, StandardCharsets.UTF_8))) {
			String id = null;
			String name = null;
			StringBuilder data = new StringBuilder();
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.isEmpty()) {
					if (data.length() > 0) {
						this.events.add(new Event(id, name, data.toString()));
					}
					name = null;
					data.setLength(0);
				}
				else if (line.startsWith("id:")) {
					id = line.substring(3).trim();
				}
				else if (line.startsWith("event:")) {
					name = line.substring(6).trim();
				}
				else if (line.startsWith("data:")) {
					data.append(line.substring(5).trim());
				}
			}
		}
		catch (IOException ex) {
			// closed by the test
		}
	}

	/**
	 * Events received until {@code done} holds for the list so far, or the time is up.
	 */
	public List<Event> awaitUntil(Predicate<List<Event>> done, Duration timeout) throws InterruptedException {
		List<Event> received = new ArrayList<>();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!done.test(received) && System.nanoTime() < deadline) {
			Event event = this.events.poll(100, TimeUnit.MILLISECONDS);
			if (event != null) {
				received.add(event);
			}
		}
		return received;
	}

	/** Waits until the server ends the stream; answers whether it did in time. */
	public boolean awaitEnd(Duration timeout) throws InterruptedException {
		this.reader.join(timeout.toMillis());
		return !this.reader.isAlive();
	}

	@Override
	public void close() throws IOException {
		this.body.close();
	}

}
