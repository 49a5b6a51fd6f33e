package io.rvfeed.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Sends one signed message: a POST of the body with the Standard Webhooks headers, no
 * redirects followed, the whole exchange (connect, send, status and the first KB of the
 * answer) within the timeout, at most 1 KB of the answer read.
 */
@Component
class Deliverer {

	static final int MAX_RESPONSE_BYTES = 1024;

	private final HttpClient client;

	private final Duration timeout;

	private final TargetGuard guard;

	Deliverer(WebhookProperties properties, TargetGuard guard) {
		this.timeout = properties.timeout();
		this.guard = guard;
		this.client = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(this.timeout)
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	/**
	 * How an attempt went. {@code result}: success, http_error, gone, timeout,
	 * connection_error, refused_target.
	 */
	record Outcome(String result, @Nullable Integer statusCode, @Nullable String error, @Nullable String responseBody,
			long durationMs) {

		boolean delivered() {
			return this.result.equals("success");
		}

	}

	Outcome send(String url, String webhookId, long timestamp, String signatures, String body) {
		long start = System.nanoTime();
		URI uri = URI.create(url);
		String refused = this.guard.addressProblem(uri.getHost());
		if (refused != null) {
			return new Outcome("refused_target", null, "The URL " + refused, null, elapsed(start));
		}
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(this.timeout)
			.header("content-type", "application/json")
			.header("user-agent", "rv-feed-webhooks/1")
			.header("webhook-id", webhookId)
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature", signatures)
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build();
		long deadline = start + this.timeout.toNanos();
		try {
			// send, not sendAsync: sendAsync hands every answer to the default
			// executor of CompletableFuture, which makes a thread per task where the
			// common pool has one thread (two cores): on such a machine, a thread made
			// and ended per message (docs/performance.md). The request's timeout bounds
			// the wait for the status; FirstBytes bounds the answer to the same deadline.
			HttpResponse<byte[]> response = this.client.send(request,
					(info) -> new FirstBytes(MAX_RESPONSE_BYTES, deadline));
			int status = response.statusCode();
			String answer = text(response.body());
			if (status >= 200 && status < 300) {
				return new Outcome("success", status, null, answer, elapsed(start));
			}
			if (status == 410) {
				return new Outcome("gone", status, "The receiver answered 410 Gone.", answer, elapsed(start));
			}
			String error = (status >= 300 && status < 400)
					? "The receiver answered a redirect (" + status
							+ "), which webhooks do not follow: use the final URL."
					: "The receiver answered " + status + ".";
			return new Outcome("http_error", status, error, answer, elapsed(start));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome("connection_error", null, "The attempt was interrupted (the service stopped).", null,
					elapsed(start));
		}
		catch (IOException ex) {
			if (ex instanceof HttpTimeoutException || causedBy(ex, TimeoutException.class)) {
				return timedOut(start);
			}
			String what = (ex instanceof ConnectException) ? "Could not connect" : "The exchange failed";
			String message = (ex.getMessage() != null) ? ": " + ex.getMessage()
					: " (" + ex.getClass().getSimpleName() + ")";
			return new Outcome("connection_error", null, what + message, null, elapsed(start));
		}
	}

	private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private Outcome timedOut(long start) {
		return new Outcome("timeout", null, "No answer within " + this.timeout.toMillis() + " ms.", null,
				elapsed(start));
	}

	private static long elapsed(long start) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	private static @Nullable String text(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length == 0) {
			return null;
		}
		// replaces a multi-byte character cut at the limit
		return new String(bytes, StandardCharsets.UTF_8);
	}

	/** Keeps the first bytes of the answer and stops reading there. */
	static final class FirstBytes implements HttpResponse.BodySubscriber<byte[]> {

		private final int max;

		private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

		private final CompletableFuture<byte[]> result = new CompletableFuture<>();

		private Flow.@Nullable Subscription subscription;

		private final long deadline;

		/**
		 * Keeps the first {@code max} bytes; fails with a timeout if the answer is not
		 * complete at {@code deadline} ({@link System#nanoTime()}).
		 */
		FirstBytes(int max, long deadline) {
			this.max = max;
			this.deadline = deadline;
		}

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.result;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			// the delay runs on the one scheduler thread CompletableFuture keeps for all
			this.result.orTimeout(Math.max(0, this.deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
				.whenComplete((body, error) -> {
					if (error != null) {
						subscription.cancel();
					}
				});
			subscription.request(1);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			for (ByteBuffer buffer : buffers) {
				int take = Math.min(buffer.remaining(), this.max - this.kept.size());
				byte[] bytes = new byte[take];
				buffer.get(bytes);
				this.kept.write(bytes, 0, take);
			}
			Flow.Subscription s = this.subscription;
			if (this.kept.size() >= this.max) {
				this.result.complete(this.kept.toByteArray());
				if (s != null) {
					s.cancel();
				}
			}
			else if (s != null) {
				s.request(1);
			}
		}

		@Override
		public void onError(Throwable error) {
			// an answer cut short still has its status: keep what came
			this.result.complete(this.kept.toByteArray());
		}

		@Override
		public void onComplete() {
			this.result.complete(this.kept.toByteArray());
		}

	}

}
