package io.rvfeed.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import io.rvfeed.auth.Scope;
import io.rvfeed.session.SessionRow;
import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;
import io.rvfeed.support.FeedApi;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.SessionFixtures;
import io.rvfeed.support.TestTenants.TestTenant;

import static io.rvfeed.support.FeedApi.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may read the feed and what they see: 401 before anything else, the key's scope,
 * {@code X-Tenant-Id} and {@code X-Caller-Id}, tenant isolation, and the exact shape of
 * every result field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedAccessIT extends ServiceTest {

	static final String RFC3339_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z";

	TestTenant alpha;

	TestTenant beta;

	List<SessionRow> alphaRows;

	List<SessionRow> betaRows;

	@BeforeAll
	void seed() {
		this.alpha = this.tenants.create();
		this.beta = this.tenants.create();
		Instant created = Instant.parse("2024-02-03T04:05:06.123456Z");
		this.alphaRows = this.fixtures.insert(
				this.fixtures.session(this.alpha)
					.deviceName("Front Desk iPad")
					.deviceAlias("front-desk")
					.deviceState(1)
					.state(SessionState.FAILED)
					.videoQuality(VideoQuality.DATA_SAVER)
					.reason("Network lost")
					.createdBy("alice@example.com")
					.updatedBy("device")
					.createdAt(created)
					.duration(Duration.parse("PT10M30S")),
				this.fixtures.session(this.alpha).deviceName("Bare").createdAt(created.minusSeconds(10)),
				this.fixtures.session(this.alpha).createdAt(created.minusSeconds(20)).duration(Duration.ofHours(26)),
				this.fixtures.session(this.alpha).createdAt(created.minusSeconds(30)).duration(Duration.ofMillis(500)),
				this.fixtures.session(this.alpha).createdAt(created.minusSeconds(40)).duration(Duration.ZERO),
				this.fixtures.session(this.alpha).createdAt(created.minusSeconds(50)).duration(Duration.ofNanos(1000)),
				this.fixtures.session(this.alpha)
					.createdAt(created.minusSeconds(60))
					.duration(Duration.parse("PT1.23456S").plusDays(3)));
		this.betaRows = this.fixtures.insert(
				this.fixtures.session(this.beta)
					.deviceName("Beta only device")
					.reason("Network lost")
					.createdBy("alice@example.com")
					.createdAt(created)
					.duration(Duration.parse("PT10M30S")),
				this.fixtures.session(this.beta).deviceName("Beta second").createdAt(created.plusSeconds(1)));
	}

	HttpApi.Call anonymous(String query) {
		return this.api.http().get(FeedApi.PATH + (query.isEmpty() ? "" : "?" + query));
	}

	static Set<UUID> ids(List<SessionRow> rows) {
		return rows.stream().map(SessionRow::sessionId).collect(Collectors.toSet());
	}

	// authentication first

	@ParameterizedTest
	@ValueSource(strings = { "", "limit=-1", "states=bogus&ordering=nope", "duration_lt=P1Y&limit=5&limit=6",
			"created_at_gt=never", "reason=%00" })
	void withoutAKeyTheAnswerIs401WhateverTheParameters(String query) {
		FeedApi.assertError(anonymous(query).send(), 401);
		FeedApi.assertError(anonymous(query).header("X-Tenant-Id", "not-a-uuid")
			.header("X-Caller-Id", "x".repeat(300))
			.header("X-SCAPI-Private-URL", "ftp://nope")
			.send(), 401);
		FeedApi.assertError(anonymous(query).header("Authorization", "Bearer rvf_not-a-real-key").send(), 401);
	}

	@Test
	void undecodableQueryWithoutAKeyIs401() {
		FeedApi.assertError(this.api.http().raw("GET", FeedApi.PATH + "?reason=%zz&limit=%"), 401);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token KEY", "KEY", "Bearer KEYx",
			"Bearer xKEY", "Bearer KEY KEY", "bearer  KEY  extra", "Bearer ' OR 1=1 --" })
	void invalidKeysAre401(String authorization) {
		String value = authorization.replace("KEY", this.alpha.key());
		FeedApi.assertError(anonymous("").header("Authorization", value).send(), 401);
	}

	@Test
	void bearerSchemeIsCaseInsensitive() {
		FeedApi.content(anonymous("").header("Authorization", "bearer " + this.alpha.key()).send());
	}

	@Test
	void twoAuthorizationHeadersAre401() {
		FeedApi.assertError(anonymous("").key(this.alpha.key()).key(this.alpha.key()).send(), 401);
	}

	@Test
	void aKeyWithoutTheFeedScopeIs403() {
		TestTenant writer = this.tenants.create(EnumSet.of(Scope.SESSIONS_WRITE));
		JsonNode body = FeedApi.assertError(this.api.get(writer, ""), 403);
		assertThat(body.get("message").asString()).contains("feed:read");
		TestTenant none = this.tenants.create(EnumSet.noneOf(Scope.class));
		FeedApi.assertError(this.api.get(none, ""), 403);
	}

	// headers

	@Test
	void tenantHeaderMatchingTheKeyIsAccepted() {
		for (String value : List.of(this.alpha.id().toString(), this.alpha.id().toString().toUpperCase(Locale.ROOT),
				" " + this.alpha.id() + " ", "")) {
			JsonNode page = FeedApi.content(this.api.call(this.alpha, "").header("X-Tenant-Id", value).send());
			assertThat(new HashSet<>(FeedApi.ids(page))).as(value).isEqualTo(ids(this.alphaRows));
		}
	}

	@Test
	void tenantHeaderOfAnotherTenantIs403() {
		FeedApi.assertError(this.api.call(this.alpha, "").header("X-Tenant-Id", this.beta.id().toString()).send(), 403);
		FeedApi.assertError(this.api.call(this.beta, "").header("X-Tenant-Id", this.alpha.id().toString()).send(), 403);
		FeedApi.assertError(this.api.call(this.alpha, "").header("X-Tenant-Id", UUID.randomUUID().toString()).send(),
				403);
		FeedApi.assertError(
				this.api.call(this.alpha, "").header("X-Tenant-Id", IntegrationTest.BOOTSTRAP_TENANT).send(), 403);
	}

	@ParameterizedTest
	@ValueSource(strings = { "not-a-uuid", "12345", "00000000000000000000000000000000", "{UUID}", "urn:uuid:UUID",
			"UUIDx", "UUID,UUID", "' OR 1=1 --", "1-1-1-1-1", "g0000000-0000-0000-0000-000000000000" })
	void tenantHeaderThatIsNotAUuidIs400(String value) {
		String header = value.replace("UUID", this.alpha.id().toString());
		FeedApi.assertBadRequest(this.api.call(this.alpha, "").header("X-Tenant-Id", header).send(), "X-Tenant-Id");
	}

	@Test
	void tenantHeaderTwiceIs400() {
		FeedApi.assertBadRequest(this.api.call(this.alpha, "")
			.header("X-Tenant-Id", this.alpha.id().toString())
			.header("X-Tenant-Id", this.alpha.id().toString())
			.send(), "X-Tenant-Id");
	}

	@Test
	void callerIdUpTo255CharactersIsAccepted() {
		for (String value : List.of("", "ops-dashboard", "x".repeat(255), "' OR 1=1 --")) {
			FeedApi.content(this.api.call(this.alpha, "").header("X-Caller-Id", value).send());
		}
	}

	@Test
	void callerIdOver255CharactersIs400() {
		FeedApi.assertBadRequest(this.api.call(this.alpha, "").header("X-Caller-Id", "x".repeat(256)).send(),
				"X-Caller-Id");
		FeedApi.assertBadRequest(this.api.call(this.alpha, "").header("X-Caller-Id", "x".repeat(10_000)).send(),
				"X-Caller-Id");
		FeedApi.assertBadRequest(
				this.api.call(this.alpha, "").header("X-Caller-Id", "a").header("X-Caller-Id", "b").send(),
				"X-Caller-Id");
	}

	// isolation

	@Test
	void aTenantSeesOnlyItsOwnRows() {
		JsonNode alphaPage = this.api.page(this.alpha, "limit=500");
		assertThat(alphaPage.get("count").asLong()).isEqualTo(this.alphaRows.size());
		assertThat(new HashSet<>(FeedApi.ids(alphaPage))).isEqualTo(ids(this.alphaRows));
		JsonNode betaPage = this.api.page(this.beta, "limit=500");
		assertThat(betaPage.get("count").asLong()).isEqualTo(this.betaRows.size());
		assertThat(new HashSet<>(FeedApi.ids(betaPage))).isEqualTo(ids(this.betaRows));
		// filters that match the other tenant's rows find nothing
		assertThat(this.api.page(this.alpha, "device_name=beta").get("count").asLong()).isZero();
		assertThat(this.api.page(this.beta, "device_name=front").get("count").asLong()).isZero();
		assertThat(this.api.ids(this.beta, "reason=network&created_by=alice@example.com&duration_gte=PT10M30S"))
			.containsExactly(this.betaRows.get(0).sessionId());
		// nor does any ordering, offset or the bootstrap tenant's key
		assertThat(new HashSet<>(this.api.ids(this.alpha, "ordering=device_name&offset=1")))
			.doesNotContainAnyElementsOf(ids(this.betaRows));
		JsonNode bootstrap = FeedApi
			.content(this.api.http().get(FeedApi.PATH + "?limit=500").key(IntegrationTest.BOOTSTRAP_KEY).send());
		assertThat(new HashSet<>(FeedApi.ids(bootstrap))).doesNotContainAnyElementsOf(ids(this.alphaRows))
			.doesNotContainAnyElementsOf(ids(this.betaRows));
	}

	// the result fields

	@Test
	void everyFieldHasTheContractShape() {
		JsonNode content = this.api.page(this.alpha, "limit=500");
		assertThat(content.propertyNames()).containsExactlyInAnyOrder("count", "previous", "next", "results");
		JsonNode results = content.get("results");
		assertThat(results).hasSize(this.alphaRows.size());
		for (int i = 0; i < results.size(); i++) {
			JsonNode result = results.get(i);
			SessionRow row = this.alphaRows.stream()
				.filter((r) -> r.sessionId().toString().equals(result.get("session_id").asString()))
				.findFirst()
				.orElseThrow();
			assertThat(result.propertyNames()).containsExactlyInAnyOrder("session_id", "device_id", "device_name",
					"device_alias", "device_state", "state", "video_quality", "reason", "duration", "created_by",
					"updated_by", "created_at", "updated_at", "started_at", "ended_at");
			assertThat(text(result.get("device_id"))).isEqualTo(row.deviceId().toString());
			assertThat(text(result.get("device_name"))).isEqualTo(row.deviceName());
			assertThat(text(result.get("device_alias"))).isEqualTo(row.deviceAlias());
			assertThat(result.get("device_state").isNull() ? null : result.get("device_state").asInt())
				.isEqualTo(row.deviceState());
			assertThat(text(result.get("state"))).isEqualTo(row.state().name());
			assertThat(text(result.get("video_quality"))).isEqualTo(row.videoQuality().name());
			assertThat(text(result.get("reason"))).isEqualTo(row.reason());
			assertThat(text(result.get("created_by"))).isEqualTo(row.createdBy());
			assertThat(text(result.get("updated_by"))).isEqualTo(row.updatedBy());
			assertTime(result.get("created_at"), row.createdAt());
			assertTime(result.get("updated_at"), row.updatedAt());
			assertTime(result.get("started_at"), row.startedAt());
			assertTime(result.get("ended_at"), row.endedAt());
			Long micros = SessionFixtures.durationMicros(row);
			assertThat(text(result.get("duration")))
				.isEqualTo((micros != null) ? Duration.ofNanos(micros * 1000).toString() : null);
		}
	}

	@Test
	void durationsAndTimesPrintAsTheContractShows() {
		JsonNode results = this.api.page(this.alpha, "limit=500&ordering=-created_at").get("results");
		List<String> durations = results.values().stream().map((r) -> text(r.get("duration"))).toList();
		assertThat(durations).containsExactly("PT10M30S", null, "PT26H", "PT0.5S", "PT0S", "PT0.000001S",
				"PT72H1.23456S");
		JsonNode full = results.get(0);
		assertThat(text(full.get("created_at"))).isEqualTo("2024-02-03T04:05:06.123456Z");
		assertThat(text(full.get("started_at"))).isEqualTo("2024-02-03T04:05:07.123456Z");
		assertThat(text(full.get("ended_at"))).isEqualTo("2024-02-03T04:15:37.123456Z");
		assertThat(text(full.get("session_id"))).isEqualTo(this.alphaRows.get(0).sessionId().toString());
		assertThat(full.get("device_state").isInt()).isTrue();
		JsonNode bare = results.get(1);
		for (String field : List.of("device_alias", "device_state", "reason", "duration", "created_by", "updated_by",
				"started_at", "ended_at")) {
			assertThat(bare.get(field).isNull()).as(field).isTrue();
		}
		assertThat(this.api.get(this.alpha, "").body()).doesNotContain("tenant");
	}

	static void assertTime(JsonNode node, Instant expected) {
		String value = text(node);
		if (expected == null) {
			assertThat(value).isNull();
			return;
		}
		assertThat(value).matches(RFC3339_UTC);
		assertThat(Instant.parse(value)).isEqualTo(expected);
	}

}
