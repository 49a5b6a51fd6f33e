package io.rvfeed.webhook;

import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.ExecutionException;
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
		CompletableFuture<HttpResponse<byte[]>> exchange = this.client.sendAsync(request,
				(info) -> new FirstBytes(MAX_RESPONSE_BYTES));
		try {
			HttpResponse<byte[]> response = exchange.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
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
		catch (TimeoutException ex) {
			exchange.cancel(true);
			return timedOut(start);
		}
		catch (InterruptedException ex) {
			exchange.cancel(true);
			Thread.currentThread().interrupt();
			return new Outcome("connection_error", null, "The attempt was interrupted (the service stopped).", null,
					elapsed(start));
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof HttpTimeoutException) {
				return timedOut(start);
			}
			String what = (cause instanceof ConnectException) ? "Could not connect" : "The exchange failed";
			String message = (cause.getMessage() != null) ? ": " + cause.getMessage()
					: " (" + cause.getClass().getSimpleName() + ")";
			return new Outcome("connection_error", null, what + message, null, elapsed(start));
		}
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

		FirstBytes(int max) {
			this.max = max;
		}

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.result;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
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
