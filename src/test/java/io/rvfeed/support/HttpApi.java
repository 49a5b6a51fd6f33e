package io.rvfeed.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small real-HTTP client for tests: raw paths and query strings go out exactly as
 * written, so tests can send malformed and hostile input.
 */
public class HttpApi {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String origin;

	private final boolean checkContract;

	public HttpApi(int port) {
		this(port, true);
	}

	/**
	 * @param checkContract whether every exchange is checked against the OpenAPI document
	 * (on by default; off only for tests of the checker itself)
	 */
	public HttpApi(int port, boolean checkContract) {
		this.origin = "http://localhost:" + port;
		this.checkContract = checkContract;
	}

	public String origin() {
		return this.origin;
	}

	public Call get(String pathAndQuery) {
		return new Call("GET", pathAndQuery, null);
	}

	public Call post(String path, String body) {
		return new Call("POST", path, body).header("Content-Type", "application/json");
	}

	public Call request(String method, String pathAndQuery, String body) {
		return new Call(method, pathAndQuery, body);
	}

	/**
	 * Sends a request over a plain socket, byte for byte as given, for targets that a
	 * well-behaved client refuses to send (bad percent-encoding, raw spaces).
	 */
	public RawReply raw(String method, String rawTarget, String... headerLines) {
		int port = Integer.parseInt(this.origin.substring(this.origin.lastIndexOf(':') + 1));
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(30_000);
			StringBuilder request = new StringBuilder(method + " " + rawTarget + " HTTP/1.1\r\nHost: localhost\r\n");
			for (String line : headerLines) {
				request.append(line).append("\r\n");
			}
			request.append("Connection: close\r\n\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int headerEnd = response.indexOf("\r\n\r\n");
			String head = response.substring(0, headerEnd);
			String body = response.substring(headerEnd + 4);
			if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
				body = dechunk(body);
			}
			int status = Integer.parseInt(head.split(" ")[1]);
			if (this.checkContract) {
				Map<String, List<String>> headers = new HashMap<>();
				for (String line : head.split("\r\n")) {
					int colon = line.indexOf(':');
					if (colon > 0) {
						headers
							.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
									(k) -> new ArrayList<>())
							.add(line.substring(colon + 1).trim());
					}
				}
				String path = rawTarget.replaceAll("%(?![0-9a-fA-F]{2})", "%25");
				ContractValidator.shared().check(method, path, status, headers, body);
			}
			return new RawReply(status, head, body);
		}
		catch (IOException ex) {
			throw new IllegalStateException("raw request failed", ex);
		}
	}

	private static String dechunk(String chunked) {
		StringBuilder body = new StringBuilder();
		int at = 0;
		while (true) {
			int lineEnd = chunked.indexOf("\r\n", at);
			int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
			if (size == 0) {
				return body.toString();
			}
			byte[] rest = chunked.substring(lineEnd + 2).getBytes(StandardCharsets.UTF_8);
			String chunk = new String(rest, 0, size, StandardCharsets.UTF_8);
			body.append(chunk);
			at = lineEnd + 2 + chunk.length() + 2;
		}
	}

	public record RawReply(int status, String head, String body) {

		public JsonNode json() {
			return HttpApi.json(this.body);
		}

	}

	/** A Java string as a JSON string literal. */
	public static String quote(String text) {
		return JSON.writeValueAsString(text);
	}

	public static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	public final class Call {

		private final String method;

		private final String pathAndQuery;

		private final String body;

		private final List<String> headers = new ArrayList<>();

		Call(String method, String pathAndQuery, String body) {
			this.method = method;
			this.pathAndQuery = pathAndQuery;
			this.body = body;
		}

		public Call header(String name, String value) {
			this.headers.add(name);
			this.headers.add(value);
			return this;
		}

		public Call key(String apiKey) {
			return header("Authorization", "Bearer " + apiKey);
		}

		public Reply send() {
			HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(origin + this.pathAndQuery))
				.timeout(Duration.ofSeconds(60))
				.method(this.method, (this.body != null) ? HttpRequest.BodyPublishers.ofString(this.body)
						: HttpRequest.BodyPublishers.noBody());
			for (int i = 0; i < this.headers.size(); i += 2) {
				builder.header(this.headers.get(i), this.headers.get(i + 1));
			}
			try {
				Reply reply = new Reply(client.send(builder.build(), HttpResponse.BodyHandlers.ofString()));
				if (checkContract) {
					ContractValidator.shared()
						.check(this.method, this.pathAndQuery, reply.status(), reply.response().headers().map(),
								reply.body());
				}
				return reply;
			}
			catch (IOException ex) {
				throw new IllegalStateException("request failed: " + this.method + " " + this.pathAndQuery, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	public record Reply(HttpResponse<String> response) {

		public int status() {
			return this.response.statusCode();
		}

		public String body() {
			return this.response.body();
		}

		public JsonNode json() {
			return HttpApi.json(this.response.body());
		}

		public String header(String name) {
			return this.response.headers().firstValue(name).orElse(null);
		}

		@Override
		public String toString() {
			return this.response.statusCode() + " " + this.response.body();
		}

	}

}
