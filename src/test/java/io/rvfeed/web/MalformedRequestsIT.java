package io.rvfeed.web;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.RawConnection;
import io.rvfeed.support.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests (multipart bodies with broken boundaries, bad Content-Types, bad
 * chunked encoding, undecodable targets), with and without credentials, on every kind of
 * path: each gets a 4xx in the standard error body, never a 500, and nothing is logged as
 * an error or with a stack trace.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class MalformedRequestsIT {

	static final List<String> PATHS = List.of("/", "/docs/", "/actuator/health/liveness", "/openapi.json", "/no/such",
			"/api/v2/rv-sessions/", "/api/v2/rv-sessions/events:batch", "/api/v2/rv-activity-feed/", "/admin/tenants");

	static final String MULTIPART = "--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello";

	@LocalServerPort
	int port;

	@Autowired
	TestTenants tenants;

	HttpApi api;

	TestTenants.TestTenant tenant;

	@BeforeEach
	void setUp() {
		this.api = new HttpApi(this.port);
		this.tenant = this.tenants.create();
	}

	@ParameterizedTest
	@ValueSource(strings = { "multipart/form-data", "multipart/form-data; boundary=",
			"multipart/form-data; boundary=yy", "multipart/form-data; boundary=\"unterminated",
			"multipart/mixed; boundary=yy", "multipart/form-data; boundary=xx; boundary=yy" })
	void aBrokenMultipartBodyIsA4xxOnEveryPath(String contentType, CapturedOutput output) {
		for (String path : PATHS) {
			for (String method : List.of("POST", "PUT")) {
				assert4xx(this.api.request(method, path, MULTIPART).header("Content-Type", contentType).send(),
						method + " " + path + " anonymous");
				assert4xx(this.api.request(method, path, MULTIPART)
					.header("Content-Type", contentType)
					.key(path.startsWith("/admin/") ? IntegrationTest.ADMIN_TOKEN : this.tenant.key())
					.send(), method + " " + path + " with credentials");
			}
		}
		assertNothingLoggedAsAnError(output);
	}

	@ParameterizedTest
	@ValueSource(strings = { ";;;", "/", "application/", "application/json; charset=\"", "application/json;;;charset",
			"text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=bogus",
			"application/json; charset=utf-16", "application/x-ndjson; charset=\u00e9" })
	void aBadContentTypeIsNeverA5xx(String contentType, CapturedOutput output) {
		String session = "{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"content type\"}";
		List<HttpApi.Reply> replies = List.of(
				this.api.post("/api/v2/rv-sessions/", session)
					.header("Content-Type", contentType)
					.key(this.tenant.key())
					.send(),
				this.api.post("/api/v2/rv-sessions/events:batch", "[]")
					.header("Content-Type", contentType)
					.key(this.tenant.key())
					.send(),
				this.api.post("/admin/tenants", "{\"name\":\"content type\"}")
					.header("Content-Type", contentType)
					.key(IntegrationTest.ADMIN_TOKEN)
					.send(),
				this.api.post("/api/v2/rv-sessions/", session).header("Content-Type", contentType).send());
		for (HttpApi.Reply reply : replies) {
			assertThat(reply.status()).as(contentType + ": " + reply).isLessThan(500);
			if (reply.status() >= 400) {
				assertStandardBody(reply.status(), reply.body(), contentType);
			}
		}
		assertNothingLoggedAsAnError(output);
	}

	@Test
	void badChunkedEncodingIsA400(CapturedOutput output) {
		List<String> bodies = List.of("zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}XX\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n",
				"2;\u0001=\r\n{}\r\n0\r\n\r\n", "fffffffffffffffffff\r\n{}\r\n0\r\n\r\n", "2\n{}\n0\n\n");
		for (String body : bodies) {
			for (String credentials : List.of("Authorization: Bearer " + this.tenant.key() + "\r\n", "")) {
				RawConnection.Response response = RawConnection.open(this.port)
					.send("POST /api/v2/rv-sessions/ HTTP/1.1\r\nHost: x\r\n" + credentials
							+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
					.awaitResponse(Duration.ofSeconds(10));
				assertThat(response).as(body).isNotNull();
				assertThat(response.status()).as(body).isBetween(400, 499);
				assertStandardBody(response.status(), response.body(), body);
			}
		}
		RawConnection.Response admin = RawConnection.open(this.port)
			.send("POST /admin/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + IntegrationTest.ADMIN_TOKEN
					+ "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
			.awaitResponse(Duration.ofSeconds(10));
		assertThat(admin.status()).isEqualTo(400);
		assertThat(admin.json().get("message").asString()).contains("chunked");
		// both a length and chunking: the container refuses it (request smuggling)
		RawConnection.Response both = RawConnection.open(this.port)
			.send("POST /api/v2/rv-sessions/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + this.tenant.key()
					+ "\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "2\r\n{}\r\n0\r\n\r\n")
			.awaitResponse(Duration.ofSeconds(10));
		assertThat(both.status()).isEqualTo(400);
		assertStandardBody(400, both.body(), "length and chunked");
		assertNothingLoggedAsAnError(output);
	}

	@ParameterizedTest
	@ValueSource(strings = { "gzip", "deflate", "br", "gzip, identity", "x-unknown" })
	void aCompressedBodyIsA415(String encoding, CapturedOutput output) {
		HttpApi.Reply reply = this.api
			.post("/api/v2/rv-sessions/", "{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"x\"}")
			.header("Content-Encoding", encoding)
			.key(this.tenant.key())
			.send();
		assert4xx(reply, encoding);
		assertThat(reply.status()).isEqualTo(415);
		assertThat(reply.json().get("message").asString()).contains("Content-Encoding");
		assertNothingLoggedAsAnError(output);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v2/rv-sessions/%C0%AF/", "/api/v2/rv-sessions/%FF/", "/%ED%A0%80",
			"/api/v2/rv-sessions/\u00ff/", "/admin/tenants/%zz", "/api/v2/rv-activity-feed/?reason=%zz",
			"/api/v2/rv-activity-feed/?reason=%C0%AF", "/api/v2/rv-activity-feed/?%=%" })
	void anUndecodablePathIsA4xx(String target, CapturedOutput output) {
		for (String credentials : List.of("Authorization: Bearer " + this.tenant.key() + "\r\n", "")) {
			RawConnection.Response response = RawConnection.open(this.port)
				.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + credentials + "Connection: close\r\n\r\n")
				.awaitResponse(Duration.ofSeconds(10));
			assertThat(response).as(target).isNotNull();
			assertThat(response.status()).as(target).isBetween(400, 499);
			assertStandardBody(response.status(), response.body(), target);
		}
		assertNothingLoggedAsAnError(output);
	}

	private static void assert4xx(HttpApi.Reply reply, String what) {
		assertThat(reply.status()).as(what + ": " + reply).isBetween(400, 499);
		assertStandardBody(reply.status(), reply.body(), what);
	}

	private static void assertStandardBody(int status, String body, String what) {
		JsonNode json = HttpApi.json(body);
		assertThat(json.get("status").asInt()).as(what).isEqualTo(status);
		assertThat(json.get("code").asInt()).as(what).isEqualTo(status);
		assertThat(json.get("message").asString()).as(what).isNotBlank();
		assertThat(json.get("errors").isArray()).as(what).isTrue();
		assertThat(body).as(what).doesNotContain("Exception").doesNotContain("at org.");
	}

	private static void assertNothingLoggedAsAnError(CapturedOutput output) {
		assertThat(output.getAll()).as("no stack trace in the log").doesNotContain("\tat ");
		assertThat(output.getAll()).as("nothing logged as an error").doesNotContain(" ERROR ");
	}

}
