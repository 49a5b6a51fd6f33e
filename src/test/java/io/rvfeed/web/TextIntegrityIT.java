package io.rvfeed.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.rvfeed.support.ContractValidator;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.RawConnection;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text is stored exactly as sent or refused: invalid UTF-8 (stray bytes, overlong forms
 * such as {@code C0 AF} for "/", encoded surrogates, code points past U+10FFFF, cut-off
 * sequences) and unpaired surrogate escapes in JSON and NDJSON bodies, in
 * {@code X-Caller-Id} and in query parameters get a 400 that names the field, and a
 * corrected retry then succeeds, so nothing was stored.
 */
@IntegrationTest
class TextIntegrityIT {

	/** Each is not well-formed UTF-8, and a lenient decoder makes something of it. */
	static final String[] BAD_SEQUENCES = { "ff", "c0af", "e080af", "f08080af", "eda080", "f4908080", "e282", "80",
			"c328" };

	@LocalServerPort
	int port;

	@Autowired
	TestTenants tenants;

	HttpApi api;

	TestTenants.TestTenant tenant;

	WriteApi write;

	@BeforeEach
	void setUp() {
		this.api = new HttpApi(this.port);
		this.tenant = this.tenants.create();
		this.write = new WriteApi(this.api, this.tenant.key());
	}

	@Test
	void anUnpairedSurrogateIsRefusedNamingTheFieldAndNothingIsStored() {
		UUID id = UUID.randomUUID();
		String device = UUID.randomUUID().toString();
		for (String bad : new String[] { "\\ud800", "\\udc00", "\\udc00\\ud800", "a\\ud83d" }) {
			HttpApi.Reply refused = this.write.create("{\"session_id\":\"" + id + "\",\"device_id\":\"" + device
					+ "\",\"device_name\":\"Kiosk " + bad + "\"}");
			assertStandardError(refused, 400);
			assertThat(refused.json().get("message").asString()).contains("'device_name'")
				.contains("unpaired surrogate");
		}
		// the identical retry with the text fixed is a first create, not a conflict
		HttpApi.Reply created = this.write.create("{\"session_id\":\"" + id + "\",\"device_id\":\"" + device
				+ "\",\"device_name\":\"Kiosk \\ud83d\\ude00\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.json().get("content").get("device_name").asString()).isEqualTo("Kiosk \uD83D\uDE00");

		HttpApi.Reply event = this.write.event(id, "{\"state\":\"ACTIVE\",\"reason\":\"late \\udbff\"}");
		assertStandardError(event, 400);
		assertThat(event.json().get("message").asString()).contains("'reason'");
		HttpApi.Reply by = this.write.event(id, "{\"state\":\"ACTIVE\",\"updated_by\":\"\\udfff\"}");
		assertStandardError(by, 400);
		assertThat(by.json().get("message").asString()).contains("'updated_by'");
		assertThat(this.write.session(id).json().get("content").get("events")).hasSize(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "ff", "c0af", "e080af", "f08080af", "eda080", "f4908080", "e282", "80", "c328" })
	void badBytesInAJsonBodyAreRefusedNamingTheField(String sequence) {
		UUID id = UUID.randomUUID();
		String device = UUID.randomUUID().toString();
		String head = "{\"session_id\":\"" + id + "\",\"device_id\":\"" + device + "\",\"device_name\":\"Kiosk 7\","
				+ "\"device_alias\":\"Till ";
		HttpApi.Reply refused = post("/api/v2/rv-sessions/", this.tenant.key(), "application/json",
				bytes(head, sequence, " Berlin\"}"));
		assertStandardError(refused, 400);
		assertThat(refused.json().get("message").asString()).contains("not valid UTF-8")
			.contains("'device_alias'")
			.contains("byte " + head.length());
		HttpApi.Reply created = this.write.create(head + "Berlin\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);

		HttpApi.Reply event = post("/api/v2/rv-sessions/" + id + "/events/", this.tenant.key(), null,
				bytes("{\"state\":\"FAILED\",\"reason\":\"", sequence, "\"}"));
		assertStandardError(event, 400);
		assertThat(event.json().get("message").asString()).contains("'reason'");
		assertThat(this.write.session(id).json().get("content").get("state").asString()).isEqualTo("INITIATED");
	}

	@Test
	void anNdjsonBatchRefusesOnlyTheItemsWithBadText() {
		UUID id = this.write.createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
		ndjson.writeBytes(line(id, "ACKNOWLEDGED", "\"fine\""));
		for (String sequence : BAD_SEQUENCES) {
			ndjson.writeBytes(
					bytes("{\"session_id\":\"" + id + "\",\"state\":\"ACTIVE\",\"reason\":\"x", sequence, "y\"}\n"));
		}
		ndjson.writeBytes(line(id, "FAILED", "\"\\ud800\""));
		ndjson.writeBytes(line(id, "TERMINATED", "\"done \\ud83d\\ude00\""));
		HttpApi.Reply reply = post("/api/v2/rv-sessions/events:batch", this.tenant.key(), "application/x-ndjson",
				ndjson.toByteArray());
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		JsonNode results = reply.json().get("content").get("results");
		assertThat(results.get(0).get("result").asString()).isEqualTo("applied");
		for (int i = 1; i <= BAD_SEQUENCES.length; i++) {
			assertThat(results.get(i).get("result").asString()).isEqualTo("invalid");
			assertThat(results.get(i).get("status").asInt()).isEqualTo(400);
			assertThat(results.get(i).get("message").asString()).contains("not valid UTF-8").contains("'reason'");
		}
		JsonNode surrogate = results.get(BAD_SEQUENCES.length + 1);
		assertThat(surrogate.get("result").asString()).isEqualTo("invalid");
		assertThat(surrogate.get("message").asString()).contains("'reason'").contains("unpaired surrogate");
		assertThat(results.get(BAD_SEQUENCES.length + 2).get("result").asString()).isEqualTo("applied");
		JsonNode session = this.write.session(id).json().get("content");
		assertThat(session.get("reason").asString()).isEqualTo("done \uD83D\uDE00");
		for (JsonNode event : session.get("events")) {
			assertThat(event.path("reason").asString("")).doesNotContain("\uFFFD")
				.doesNotContain("?")
				.isNotEqualTo("x/y");
		}
	}

	@Test
	void aJsonArrayBatchWithBadBytesIsRefusedNamingTheItemAndField() {
		UUID id = this.write.createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		String first = "[{\"session_id\":\"" + id + "\",\"state\":\"ACTIVE\"},{\"session_id\":\"" + id
				+ "\",\"state\":\"FAILED\",\"reason\":\"x";
		HttpApi.Reply refused = post("/api/v2/rv-sessions/events:batch", this.tenant.key(), "application/json",
				bytes(first, "c0af", "\"}]"));
		assertStandardError(refused, 400);
		assertThat(refused.json().get("message").asString()).contains("field 'reason' of item 1");
		HttpApi.Reply surrogate = this.write.batch(first + "\\ud800\"}]", "application/json");
		assertThat(surrogate.status()).isEqualTo(200);
		assertThat(surrogate.json().get("content").get("results").get(1).get("message").asString()).contains("'reason'")
			.contains("unpaired surrogate");
	}

	@Test
	void theAdminApiRefusesBadTextToo() {
		HttpApi.Reply surrogate = this.api.post("/admin/tenants", "{\"name\":\"Acme \\ud800\"}")
			.key(IntegrationTest.ADMIN_TOKEN)
			.send();
		assertStandardError(surrogate, 400);
		assertThat(surrogate.json().get("message").asString()).contains("'name'").contains("unpaired surrogate");
		HttpApi.Reply overlong = post("/admin/tenants", IntegrationTest.ADMIN_TOKEN, "application/json",
				bytes("{\"name\":\"Acme ", "c0af", "\"}"));
		assertStandardError(overlong, 400);
		assertThat(overlong.json().get("message").asString()).contains("'name'").contains("UTF-8");
		HttpApi.Reply key = this.api
			.post("/admin/tenants/" + this.tenant.id() + "/keys", "{\"name\":\"\\udc00\",\"scopes\":[\"feed:read\"]}")
			.key(IntegrationTest.ADMIN_TOKEN)
			.send();
		assertStandardError(key, 400);
		assertThat(key.json().get("message").asString()).contains("'name'");
	}

	@Test
	void xCallerIdIsStoredAsTheUtf8TextSentOrRefused() {
		String caller = "J\u00fcrgen \u20ac \uD83D\uDE00";
		RawConnection.Response created = createWithCaller(UUID.randomUUID(), caller.getBytes(StandardCharsets.UTF_8));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.json().get("content").get("created_by").asString()).isEqualTo(caller);
		for (String sequence : BAD_SEQUENCES) {
			UUID id = UUID.randomUUID();
			RawConnection.Response refused = createWithCaller(id, bytes("alice ", sequence, ""));
			assertThat(refused.status()).as(sequence + ": " + refused.body()).isEqualTo(400);
			assertThat(refused.json().get("message").asString()).contains("'X-Caller-Id'").contains("UTF-8");
			assertThat(this.write.session(id).status()).isEqualTo(404);
		}
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "device_name=%C0%AF", "reason=ok&created_by=%ED%A0%80", "reason=%FF", "device_name=%E2%82" })
	void queryParametersThatAreNotUtf8AreRefusedNamingThem(String query) {
		HttpApi.Reply reply = this.api.get("/api/v2/rv-activity-feed/?" + query).key(this.tenant.key()).send();
		assertStandardError(reply, 400);
		String parameter = query.substring(query.lastIndexOf('&') + 1, query.lastIndexOf('='));
		assertThat(reply.json().get("message").asString()).contains("'" + parameter + "'").contains("UTF-8");
	}

	private RawConnection.Response createWithCaller(UUID id, byte[] callerId) {
		byte[] body = ("{\"session_id\":\"" + id + "\",\"device_id\":\"" + UUID.randomUUID()
				+ "\",\"device_name\":\"caller\"}")
			.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request
			.writeBytes(("POST /api/v2/rv-sessions/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + this.tenant.key()
					+ "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nX-Caller-Id: ")
				.getBytes(StandardCharsets.ISO_8859_1));
		request.writeBytes(callerId);
		request.writeBytes("\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
		request.writeBytes(body);
		try (RawConnection connection = RawConnection.open(this.port)) {
			RawConnection.Response response = connection.send(request.toByteArray())
				.awaitResponse(Duration.ofSeconds(30));
			assertThat(response).isNotNull();
			return response;
		}
	}

	private static byte[] line(UUID session, String state, String reason) {
		return ("{\"session_id\":\"" + session + "\",\"state\":\"" + state + "\",\"reason\":" + reason + "}\n")
			.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] bytes(String before, String hex, String after) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
		out.writeBytes(HexFormat.of().parseHex(hex));
		out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	/** A body of raw bytes, checked against the OpenAPI document like every exchange. */
	private HttpApi.Reply post(String path, String key, String contentType, byte[] body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.api.origin() + path))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + key)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(request.build(), HttpResponse.BodyHandlers.ofString());
			ContractValidator.shared()
				.check("POST", path, response.statusCode(), response.headers().map(), response.body());
			return new HttpApi.Reply(response);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
