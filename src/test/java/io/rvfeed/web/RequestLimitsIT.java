package io.rvfeed.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

class RequestLimitsIT extends ServiceTest {

	static final String FEED = "/api/v2/rv-activity-feed/";

	@Test
	void overlongQueryIs414() {
		String query = "?reason=" + "a".repeat(8 * 1024);
		HttpApi.Reply reply = this.api.get(FEED + query).key(IntegrationTest.BOOTSTRAP_KEY).send();
		assertStandardError(reply, 414);
		assertThat(reply.json().get("message").asString()).contains("8192");
		// just under the limit is not refused for its length
		String fits = "?reason=" + "a".repeat(8 * 1024 - 8);
		assertThat(this.api.get(FEED + fits).key(IntegrationTest.BOOTSTRAP_KEY).send().status()).isNotEqualTo(414);
	}

	@Test
	void overlargeBodyIs413() {
		String body = "{\"x\":\"" + "a".repeat(1024 * 1024) + "\"}";
		HttpApi.Reply reply = this.api.post("/api/v2/rv-sessions/", body).key(IntegrationTest.BOOTSTRAP_KEY).send();
		assertStandardError(reply, 413);
		assertStandardError(this.api.post("/admin/tenants", body).send(), 413);
	}

	@Test
	void overlargeChunkedBodyIs413() throws Exception {
		byte[] chunk = new byte[64 * 1024];
		Arrays.fill(chunk, (byte) 'a');
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.api.origin() + "/api/v2/rv-sessions/"))
			.header("Authorization", "Bearer " + IntegrationTest.BOOTSTRAP_KEY)
			.header("Content-Type", "application/json")
			// a stream of unknown length goes out chunked
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new RepeatingStream(chunk, 20)))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertStandardError(new HttpApi.Reply(response), 413);
	}

	@Test
	void overlongHeadersAreRefusedInTheStandardBody() {
		HttpApi.RawReply reply = this.api.raw("GET", FEED, "Authorization: Bearer " + IntegrationTest.BOOTSTRAP_KEY,
				"X-Padding: " + "a".repeat(70 * 1024));
		assertThat(reply.status()).isIn(400, 431);
		assertThat(reply.json().get("status").asInt()).isEqualTo(reply.status());
	}

	@Test
	void corsIsClosedByDefault() {
		HttpApi.Reply preflight = this.api.request("OPTIONS", FEED, null)
			.header("Origin", "https://elsewhere.example")
			.header("Access-Control-Request-Method", "GET")
			.header("Access-Control-Request-Headers", "authorization")
			.send();
		assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
		assertThat(preflight.header("Access-Control-Allow-Headers")).isNull();
		HttpApi.Reply get = this.api.get(FEED)
			.key(IntegrationTest.BOOTSTRAP_KEY)
			.header("Origin", "https://elsewhere.example")
			.send();
		assertThat(get.header("Access-Control-Allow-Origin")).isNull();
	}

	/** The same bytes, a number of times over. */
	private static final class RepeatingStream extends InputStream {

		private final byte[] chunk;

		private int left;

		private int at;

		RepeatingStream(byte[] chunk, int times) {
			this.chunk = chunk;
			this.left = times;
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : one[0];
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.left == 0) {
				return -1;
			}
			int n = Math.min(length, this.chunk.length - this.at);
			System.arraycopy(this.chunk, this.at, buffer, offset, n);
			this.at += n;
			if (this.at == this.chunk.length) {
				this.at = 0;
				this.left--;
			}
			return n;
		}

		@Override
		public void close() throws IOException {
		}

	}

}
