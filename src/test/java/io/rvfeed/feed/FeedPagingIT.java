package io.rvfeed.feed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import io.rvfeed.session.SessionRow;
import io.rvfeed.session.SessionState;
import io.rvfeed.support.FeedApi;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;

import static io.rvfeed.support.FeedApi.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code limit}, {@code offset} and the {@code next}/{@code previous} links: first,
 * middle, last and past-the-end pages, the limit in effect, unknown parameters kept, and
 * {@code X-SCAPI-Private-URL}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedPagingIT extends ServiceTest {

	static final int ROWS = 25;

	static final int BIG = 505;

	TestTenant tenant;

	TestTenant big;

	List<SessionRow> rows;

	String base;

	@BeforeAll
	void seed() {
		this.base = this.api.origin() + FeedApi.PATH;
		this.tenant = this.tenants.create();
		List<SessionRow> rows = new ArrayList<>();
		for (int i = 0; i < ROWS; i++) {
			rows.add(this.fixtures.session(this.tenant)
				.state((i % 2 == 0) ? SessionState.ACTIVE : SessionState.TERMINATED)
				.build());
		}
		this.rows = this.fixtures.insert(rows);
		this.big = this.tenants.create();
		List<SessionRow> bigRows = new ArrayList<>();
		for (int i = 0; i < BIG; i++) {
			bigRows.add(this.fixtures.session(this.big).build());
		}
		this.fixtures.insert(bigRows);
	}

	/**
	 * Asserts a link: the base, the kept parameters in the order given, the limit in
	 * effect, and the offset (absent when 0).
	 */
	static void assertLink(String link, String base, List<String> kept, int limit, long offset) {
		assertThat(link).as("link").isNotNull();
		int question = link.indexOf('?');
		assertThat(question).as(link).isPositive();
		assertThat(link.substring(0, question)).as(link).isEqualTo(base);
		List<String> pairs = Arrays.asList(link.substring(question + 1).split("&"));
		assertThat(pairs.stream().filter((p) -> !p.startsWith("limit=") && !p.startsWith("offset=")).toList()).as(link)
			.containsExactlyElementsOf(kept);
		assertThat(pairs.stream().filter((p) -> p.startsWith("limit=")).toList()).as(link)
			.containsExactly("limit=" + limit);
		List<String> offsets = pairs.stream().filter((p) -> p.startsWith("offset=")).toList();
		if (offset == 0) {
			assertThat(offsets).as(link).isEmpty();
		}
		else {
			assertThat(offsets).as(link).containsExactly("offset=" + offset);
		}
	}

	void assertLinks(JsonNode page, Long previousOffset, Long nextOffset, int limit) {
		if (previousOffset == null) {
			assertThat(page.get("previous").isNull()).as(page.toString()).isTrue();
		}
		else {
			assertLink(text(page.get("previous")), this.base, List.of(), limit, previousOffset);
		}
		if (nextOffset == null) {
			assertThat(page.get("next").isNull()).as(page.toString()).isTrue();
		}
		else {
			assertLink(text(page.get("next")), this.base, List.of(), limit, nextOffset);
		}
	}

	List<UUID> newestFirst() {
		return ExpectedOrder.of(this.rows, "-created_at");
	}

	@Test
	void firstPage() {
		JsonNode page = this.api.page(this.tenant, "limit=3");
		assertThat(page.get("count").asLong()).isEqualTo(ROWS);
		assertThat(FeedApi.ids(page)).containsExactlyElementsOf(newestFirst().subList(0, 3));
		assertLinks(page, null, 3L, 3);
		assertLinks(this.api.page(this.tenant, "limit=3&offset=0"), null, 3L, 3);
	}

	@Test
	void middlePages() {
		JsonNode page = this.api.page(this.tenant, "limit=3&offset=9");
		assertThat(FeedApi.ids(page)).containsExactlyElementsOf(newestFirst().subList(9, 12));
		assertLinks(page, 6L, 12L, 3);
		// previous reaches 0: offset is dropped
		JsonNode second = this.api.page(this.tenant, "limit=3&offset=3");
		assertLinks(second, 0L, 6L, 3);
		// an offset that is not a multiple of the limit floors previous at 0
		JsonNode odd = this.api.page(this.tenant, "limit=3&offset=2");
		assertThat(FeedApi.ids(odd)).containsExactlyElementsOf(newestFirst().subList(2, 5));
		assertLinks(odd, 0L, 5L, 3);
	}

	@Test
	void lastPages() {
		JsonNode last = this.api.page(this.tenant, "limit=3&offset=24");
		assertThat(FeedApi.ids(last)).containsExactlyElementsOf(newestFirst().subList(24, 25));
		assertLinks(last, 21L, null, 3);
		// offset + limit == count: no next
		JsonNode exact = this.api.page(this.tenant, "limit=5&offset=20");
		assertThat(FeedApi.ids(exact)).containsExactlyElementsOf(newestFirst().subList(20, 25));
		assertLinks(exact, 15L, null, 5);
		// one short of the end: next
		assertLinks(this.api.page(this.tenant, "limit=5&offset=19"), 14L, 24L, 5);
	}

	@Test
	void pastTheEnd() {
		JsonNode page = this.api.page(this.tenant, "limit=3&offset=100");
		assertThat(page.get("count").asLong()).isEqualTo(ROWS);
		assertThat(page.get("results")).isEmpty();
		assertLinks(page, 97L, null, 3);
		JsonNode atCount = this.api.page(this.tenant, "offset=25");
		assertThat(atCount.get("results")).isEmpty();
		assertLinks(atCount, 5L, null, 20);
	}

	@Test
	void hugeOffsetIsAnEmptyPage() {
		JsonNode page = this.api.page(this.tenant, "limit=3&offset=999999999999999999");
		assertThat(page.get("count").asLong()).isEqualTo(ROWS);
		assertThat(page.get("results")).isEmpty();
		assertLinks(page, 999999999999999996L, null, 3);
	}

	@Test
	void emptyFeed() {
		JsonNode page = this.api.page(this.tenants.create(), "");
		assertThat(page.get("count").asLong()).isZero();
		assertThat(page.get("results")).isEmpty();
		assertLinks(page, null, null, 20);
	}

	@Test
	void defaultLimitIs20AndZeroMeansDefault() {
		for (String query : List.of("", "limit=0", "limit=", "limit=00")) {
			JsonNode page = this.api.page(this.tenant, query);
			assertThat(FeedApi.ids(page)).as(query).containsExactlyElementsOf(newestFirst().subList(0, 20));
			assertLinks(page, null, 20L, 20);
		}
		JsonNode second = this.api.page(this.tenant, "offset=20");
		assertThat(FeedApi.ids(second)).containsExactlyElementsOf(newestFirst().subList(20, 25));
		assertLinks(second, 0L, null, 20);
	}

	@ParameterizedTest
	@ValueSource(strings = { "501", "1000", "2147483648", "9223372036854775808",
			"99999999999999999999999999999999999999999999999999" })
	void limitAbove500Is500(String limit) {
		JsonNode page = this.api.page(this.big, "limit=" + limit);
		assertThat(page.get("count").asLong()).isEqualTo(BIG);
		assertThat(page.get("results")).hasSize(500);
		assertLinks(page, null, 500L, 500);
		JsonNode rest = this.api.page(this.big, "limit=" + limit + "&offset=500");
		assertThat(rest.get("results")).hasSize(BIG - 500);
		assertLinks(rest, 0L, null, 500);
		assertThat(this.api.page(this.big, "limit=500").get("results")).hasSize(500);
	}

	@ParameterizedTest
	@ValueSource(strings = { "limit=-1", "limit=abc", "limit=1.5", "limit=1e3", "limit=0x10", "limit=-0", "limit=%2D5",
			"limit=5%20000", "limit=%EF%BC%95", "offset=-1", "offset=abc", "offset=1.0", "offset=-0", "offset=1e2",
			"offset=%EF%BC%95" })
	void badLimitOrOffsetIs400(String query) {
		FeedApi.assertBadRequest(this.api.get(this.tenant, query), query.substring(0, query.indexOf('=')));
	}

	@Test
	void followingNextAndPreviousWalksEveryRowOnce() {
		List<UUID> walked = new ArrayList<>();
		String link = this.base + "?limit=4";
		String lastPage = null;
		while (link != null) {
			assertThat(link).startsWith(this.api.origin());
			JsonNode page = FeedApi
				.content(this.api.http().get(link.substring(this.api.origin().length())).key(this.tenant.key()).send());
			walked.addAll(FeedApi.ids(page));
			lastPage = link;
			link = text(page.get("next"));
		}
		assertThat(walked).containsExactlyElementsOf(newestFirst());
		assertThat(new HashSet<>(walked)).hasSize(ROWS);
		List<UUID> back = new ArrayList<>();
		link = lastPage;
		while (link != null) {
			JsonNode page = FeedApi
				.content(this.api.http().get(link.substring(this.api.origin().length())).key(this.tenant.key()).send());
			back.addAll(0, FeedApi.ids(page));
			link = text(page.get("previous"));
		}
		assertThat(back).containsExactlyElementsOf(newestFirst());
	}

	@Test
	void otherParametersAreKeptAsGiven() {
		List<String> kept = List.of("foo=b%20ar", "states=%20terminated", "zz", "x=%E2%9C%93", "reason=",
				"ordering=-created_at", "Limit=7", "a=1=2");
		String query = String.join("&", kept.subList(0, 3)) + "&limit=3&offset=6&"
				+ String.join("&", kept.subList(3, 8));
		JsonNode page = this.api.page(this.tenant, query);
		// the kept filter excludes rows: only the TERMINATED ones count
		long terminated = this.rows.stream().filter((r) -> r.state() == SessionState.TERMINATED).count();
		assertThat(terminated).isLessThan(ROWS);
		assertThat(page.get("count").asLong()).isEqualTo(terminated);
		assertLink(text(page.get("next")), this.base, kept, 3, 9);
		assertLink(text(page.get("previous")), this.base, kept, 3, 3);
		// the kept filters still apply when a link is followed
		List<UUID> filtered = ExpectedOrder
			.of(this.rows.stream().filter((r) -> r.state() == SessionState.TERMINATED).toList(), "-created_at");
		assertThat(filtered.subList(9, 12)).as("the filter shows on the followed page")
			.isNotEqualTo(ExpectedOrder.of(this.rows, "-created_at").subList(9, 12));
		String next = text(page.get("next"));
		JsonNode followed = FeedApi
			.content(this.api.http().get(next.substring(this.api.origin().length())).key(this.tenant.key()).send());
		assertThat(FeedApi.ids(followed)).containsExactlyElementsOf(filtered.subList(9, 12));
	}

	@Test
	void filteredCountDrivesTheLinks() {
		long terminated = this.rows.stream().filter((r) -> r.state() == SessionState.TERMINATED).count();
		assertThat(terminated).isEqualTo(12);
		JsonNode page = this.api.page(this.tenant, "states=TERMINATED&limit=5&offset=10");
		assertThat(page.get("count").asLong()).isEqualTo(12);
		assertThat(page.get("results")).hasSize(2);
		assertThat(text(page.get("next"))).isNull();
		assertLink(text(page.get("previous")), this.base, List.of("states=TERMINATED"), 5, 5);
	}

	@Test
	void pathWithoutTrailingSlashIsKeptInLinks() {
		HttpApi.Reply reply = this.api.http().get("/api/v2/rv-activity-feed?limit=3").key(this.tenant.key()).send();
		JsonNode page = FeedApi.content(reply);
		assertLink(text(page.get("next")), this.api.origin() + "/api/v2/rv-activity-feed", List.of(), 3, 3);
	}

	@Test
	void privateUrlBecomesTheBaseOfLinks() {
		String[][] cases = { { "https://gw.example.com", "https://gw.example.com" },
				{ "https://gw.example.com/", "https://gw.example.com" },
				{ "http://internal.example:8443/esper/", "http://internal.example:8443/esper" },
				{ "HTTPS://Gw.Example.com/a/b", "HTTPS://Gw.Example.com/a/b" },
				{ "http://[::1]:9000", "http://[::1]:9000" } };
		for (String[] c : cases) {
			JsonNode page = FeedApi.content(
					this.api.call(this.tenant, "limit=3&offset=3&foo=bar").header("X-SCAPI-Private-URL", c[0]).send());
			assertLink(text(page.get("next")), c[1] + FeedApi.PATH, List.of("foo=bar"), 3, 6);
			assertLink(text(page.get("previous")), c[1] + FeedApi.PATH, List.of("foo=bar"), 3, 0);
		}
		JsonNode last = FeedApi.content(
				this.api.call(this.tenant, "limit=30").header("X-SCAPI-Private-URL", "https://gw.example.com").send());
		assertThat(last.get("next").isNull()).isTrue();
		assertThat(last.get("previous").isNull()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://gw.example.com", "gw.example.com", "/relative/path", "https://", "http://",
			"javascript:alert(1)", "http//gw.example.com", "https://exa mple.com", "mailto:ops@example.com",
			"file:///etc/passwd", "https:gw.example.com", "*", "' OR 1=1 --", "%68ttps://gw.example.com" })
	void badPrivateUrlIs400(String value) {
		FeedApi.assertBadRequest(this.api.call(this.tenant, "").header("X-SCAPI-Private-URL", value).send(),
				"X-SCAPI-Private-URL");
	}

	@Test
	void overlongPrivateUrlIs400() {
		FeedApi.assertBadRequest(this.api.call(this.tenant, "")
			.header("X-SCAPI-Private-URL", "https://gw.example.com/" + "a".repeat(10_000))
			.send(), "X-SCAPI-Private-URL");
	}

}
