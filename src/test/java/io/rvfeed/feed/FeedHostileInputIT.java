package io.rvfeed.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import io.rvfeed.session.SessionState;
import io.rvfeed.support.FeedApi;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;

import static io.rvfeed.support.FeedApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input never yields a 5xx: malformed and hostile values at every parameter and
 * header, repeated and empty parameters, and targets a well-behaved client would not
 * send. Every answer is a 2xx feed page or a 4xx in the standard error body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedHostileInputIT extends ServiceTest {

	static final List<String> PARAMETERS = List.of("limit", "offset", "states", "video_qualities", "reason",
			"device_name", "created_by", "ordering", "duration_lt", "duration_lte", "duration_gt", "duration_gte",
			"created_at_lt", "created_at_lte", "created_at_gt", "created_at_gte", "updated_at_lt", "updated_at_lte",
			"updated_at_gt", "updated_at_gte", "unknown_parameter");

	static final List<String> HOSTILE = List.of("' OR '1'='1", "1; DROP TABLE tenant; --",
			"') UNION ALL SELECT NULL, NULL --", "1' AND pg_sleep(5) IS NULL --", "%", "_", "\\", "%' --", "*",
			"a".repeat(10_240), "9".repeat(10_240), "-" + "9".repeat(40), "9".repeat(18), "9".repeat(19),
			"é漢字\uD83D\uDE00\u202E", "\u0000", "a\u0000b", "\r\n", "\t", "\u0001\u001F\u007F",
			"<script>alert(1)</script>", "${jndi:ldap://example.invalid/a}", "NaN", "Infinity", "null", "[]", "{}", " ",
			",,,", "-", "+", "P" + "9".repeat(30) + "D", "PT" + "9".repeat(30) + "S", "PT9223372036.854775807S",
			"PT9223372036.854775808S", "P106751D", "P106752D", "9999-12-31T23:59:59.999999999-18:00",
			"0000-01-01T00:00:00+18:00", "0000-01-01", "1969-12-31T23:59:59.999999999Z", "\uFFFF", "\uD800",
			"../../etc/passwd", "-created_at,".repeat(2000), "ACTIVE,".repeat(5000), "STANDARD,DATA_SAVER,".repeat(30),
			"state,-state", "-".repeat(100), "٣", "１２");

	static final List<String> REPEATED = List.of("' OR '1'='1", "\u0000", "a".repeat(10_240), "é漢字\uD83D\uDE00", "-1",
			"1");

	TestTenant tenant;

	@BeforeAll
	void seed() {
		this.tenant = this.tenants.create();
		this.fixtures.insert(this.fixtures.session(this.tenant).reason("100% done_ok\\"),
				this.fixtures.session(this.tenant).state(SessionState.FAILED).duration(java.time.Duration.ofSeconds(5)),
				this.fixtures.session(this.tenant).deviceName("é漢字\uD83D\uDE00").createdBy("' OR '1'='1"));
	}

	/** A 2xx feed page, or a 4xx in the standard error body: never a 5xx. */
	static void assertSane(int status, String contentType, String body, String what) {
		assertThat(status).as(what + " -> " + status + " " + abbreviate(body)).isBetween(200, 499);
		assertThat(contentType).as(what).isNotNull();
		assertThat(contentType.toLowerCase(Locale.ROOT)).as(what).startsWith("application/json");
		if (status >= 400) {
			FeedApi.assertErrorBody(body, status);
		}
		else {
			JsonNode content = HttpApi.json(body).get("content");
			assertThat(content).as(what).isNotNull();
			assertThat(content.get("count").isIntegralNumber()).as(what).isTrue();
			assertThat(content.get("results").isArray()).as(what).isTrue();
		}
	}

	static void assertSane(HttpApi.Reply reply, String what) {
		assertSane(reply.status(), reply.header("Content-Type"), reply.body(), what);
	}

	static void assertSane(HttpApi.RawReply reply, String what) {
		String contentType = reply.head()
			.lines()
			.filter((line) -> line.toLowerCase(Locale.ROOT).startsWith("content-type:"))
			.map((line) -> line.substring("content-type:".length()).trim())
			.findFirst()
			.orElse(null);
		assertSane(reply.status(), contentType, reply.body(), what);
	}

	static String abbreviate(String text) {
		return (text.length() > 300) ? text.substring(0, 300) + "..." : text;
	}

	static Stream<String> parameters() {
		return PARAMETERS.stream();
	}

	@ParameterizedTest
	@MethodSource("parameters")
	void hostileValuesAtEveryParameter(String parameter) {
		for (String value : HOSTILE) {
			assertSane(this.api.get(this.tenant, parameter + "=" + enc(value)), parameter + "=" + abbreviate(value));
		}
		// repeated, with an empty one between, and next to valid parameters
		for (String value : REPEATED) {
			assertSane(this.api.get(this.tenant,
					parameter + "=" + enc(value) + "&" + parameter + "=&" + parameter + "=" + enc(value) + "&limit=5"),
					parameter + "=" + abbreviate(value) + " (repeated)");
		}
	}

	@ParameterizedTest
	@MethodSource("parameters")
	void emptyRepeatedAndValuelessParameters(String parameter) {
		for (String query : List.of(parameter, parameter + "=", parameter + "&" + parameter, parameter + "==",
				parameter + "=&" + parameter + "=&" + parameter + "=", parameter + "=%20",
				(parameter + "=1&").repeat(50), parameter + "%00=1", parameter + "[]=1",
				parameter.toUpperCase(Locale.ROOT) + "=1")) {
			assertSane(this.api.get(this.tenant, query), query);
		}
	}

	@Test
	void everyParameterHostileAtOnce() {
		for (String value : List.of("' OR '1'='1", "\u0000", "é漢字\uD83D\uDE00", "-1", "%_\\")) {
			List<String> pairs = new ArrayList<>();
			PARAMETERS.forEach((p) -> pairs.add(p + "=" + enc(value)));
			HttpApi.Reply reply = this.api.get(this.tenant, String.join("&", pairs));
			assertSane(reply, "all=" + value);
		}
	}

	@Test
	void manyParameters() {
		assertSane(this.api.get(this.tenant, "a=1&".repeat(5000)), "5000 unknown parameters");
		assertSane(this.api.get(this.tenant, "states=ACTIVE&".repeat(3000)), "3000 states");
		assertSane(this.api.get(this.tenant, "&".repeat(10_000)), "10000 ampersands");
	}

	static final List<String> HOSTILE_HEADER_VALUES = List.of("' OR '1'='1", "1; DROP TABLE tenant; --", "%00",
			"a".repeat(10_240), "null", "undefined", "-1", "../../etc/passwd", "${jndi:ldap://example.invalid/a}",
			"<script>", "http://", "https://gw.example.com/?q=1#f", "https://user:pw@gw.example.com",
			"00000000-0000-0000-0000-000000000000", " ", "\t");

	@ParameterizedTest
	@ValueSource(strings = { "X-Tenant-Id", "X-Caller-Id", "X-SCAPI-Private-URL", "X-Unknown-Header", "Accept",
			"Accept-Language", "Accept-Charset", "Cookie", "X-Forwarded-For", "X-Forwarded-Host", "Forwarded" })
	void hostileValuesAtEveryHeader(String header) {
		for (String value : HOSTILE_HEADER_VALUES) {
			assertSane(this.api.call(this.tenant, "limit=2").header(header, value).send(),
					header + ": " + abbreviate(value));
			assertSane(this.api.call(this.tenant, "").header(header, value).header(header, value).send(),
					header + " twice: " + abbreviate(value));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer ' OR '1'='1", "Bearer %00", "Bearer ", "Bearer", "Basic Og==", "Negotiate x" })
	void hostileAuthorizationIs401(String value) {
		FeedApi.assertError(this.api.http().get(FeedApi.PATH).header("Authorization", value).send(), 401);
		FeedApi.assertError(
				this.api.http().get(FeedApi.PATH).header("Authorization", value + "a".repeat(10_000)).send(), 401);
	}

	static final List<String> RAW_HEADER_VALUES = List.of("é漢字\uD83D\uDE00", "\u0000", "a\u0000b", "\u0001", "\u007F",
			"\u00FF\u00FE", "\u202Eevil");

	@ParameterizedTest
	@ValueSource(strings = { "X-Tenant-Id", "X-Caller-Id", "X-SCAPI-Private-URL", "X-Unknown-Header" })
	void rawBytesInHeaders(String header) {
		for (String value : RAW_HEADER_VALUES) {
			assertSane(
					this.api.http()
						.raw("GET", FeedApi.PATH, "Authorization: Bearer " + this.tenant.key(), header + ": " + value),
					header + ": " + value);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "?reason=%zz", "?%", "?reason=%", "?reason=%0", "?reason=%C3%28", "?reason=%ED%A0%80",
			"?reason=%FF%FE", "?reason=%C0%AF", "?%zz=1", "?limit=%2", "?limit=%zz", "?states=%E2%80",
			"?created_at_gt=2024-01-01T00:00:00%2", "?ordering=%-created_at", "?&&&==&=&", "?=", "?==", "?=1&=2",
			"?reason=a%00b", "?reason=%2500", "?reason=%25%32%35", "?reason=%u0041", "?reason=+%2B+", "?a=1&a=%",
			"?reason=x#fragment", "?reason=%E2%80%AE", "?limit=1&limit=%", "?%00", "?%00=%00" })
	void badPercentEncodingIs4xx(String query) {
		HttpApi.RawReply reply = this.api.http()
			.raw("GET", FeedApi.PATH + query, "Authorization: Bearer " + this.tenant.key());
		assertSane(reply, query);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v2/rv-activity-feed/?reason=é", "/api/v2/rv-activity-feed/?reason=<>\"{}|^`",
			"/api/v2/rv-activity-feed/?reason=a\tb", "/api/v2/rv-activity-feed/;x=1", "/api/v2/rv-activity-feed/%2F",
			"/api/v2/rv-activity-feed//", "/api/v2/rv-activity-feed/%00", "/api/v2/rv-activity-feed/..;/",
			"/api/v2/rv-activity-feed/%2e%2e/%2e%2e/", "/api/v2//rv-activity-feed/", "/api/v2/rv-activity-feed/\\",
			"/api/v2/rv-activity-feed/?" })
	void malformedTargetsAre2xxOr4xx(String target) {
		HttpApi.RawReply reply = this.api.http().raw("GET", target, "Authorization: Bearer " + this.tenant.key());
		assertSane(reply, target);
	}

	@Test
	void hugeQueryString() {
		// over the server's header size limit: refused by the container,
		// still in the standard body
		HttpApi.RawReply reply = this.api.http()
			.raw("GET", FeedApi.PATH + "?reason=" + "a".repeat(70_000), "Authorization: Bearer " + this.tenant.key());
		assertSane(reply, "70 kB query");
		assertThat(reply.status()).isBetween(400, 499);
	}

}
