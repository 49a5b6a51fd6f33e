package io.rvfeed.web;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser security headers on every answer, the console's and the docs page's above
 * all: a Content-Security-Policy that allows no inline script and no framing, no Referer,
 * no content sniffing; and pages that need nothing inline to work under it (the browser
 * tests run them under the policy).
 */
@IntegrationTest
class SecurityHeadersIT {

	@LocalServerPort
	int port;

	HttpApi api;

	@BeforeEach
	void setUp() {
		this.api = new HttpApi(this.port);
	}

	@Test
	void everyAnswerCarriesThePolicy() {
		List<HttpApi.Reply> replies = List.of(this.api.get("/").send(), this.api.get("/index.html").send(),
				this.api.get("/docs/").send(), this.api.get("/docs/index.html").send(),
				this.api.get("/docs/init.js").send(), this.api.get("/console/main.js").send(),
				this.api.get("/openapi.json").send(), this.api.get("/actuator/health/liveness").send(),
				this.api.get("/api/v2/rv-activity-feed/").send(),
				this.api.get("/api/v2/rv-activity-feed/").key(IntegrationTest.BOOTSTRAP_KEY).send(),
				this.api.get("/admin/tenants").send(), this.api.get("/no/such").send());
		for (HttpApi.Reply reply : replies) {
			String what = reply.response().request().uri() + " -> " + reply.status();
			String policy = reply.header("Content-Security-Policy");
			assertThat(policy).as(what).isNotNull();
			List<String> directives = List.of(policy.split("\\s*;\\s*"));
			assertThat(directives).as(what)
				.contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
						"base-uri 'none'", "frame-ancestors 'none'");
			assertThat(policy).as(what).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
			assertThat(reply.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
			assertThat(reply.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
			assertThat(reply.response().headers().allValues("Content-Security-Policy")).as(what).hasSize(1);
		}
	}

	@Test
	void thePagesNeedNothingInline() {
		for (String page : List.of("/", "/docs/")) {
			HttpApi.Reply reply = this.api.get(page).send();
			assertThat(reply.status()).isEqualTo(200);
			String html = reply.body();
			assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE).matcher(html).find())
				.as(page + " has an inline script")
				.isFalse();
			assertThat(html).as(page).doesNotContainIgnoringCase("<style").doesNotContainIgnoringCase(" style=");
			assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find())
				.as(page + " has an inline event handler")
				.isFalse();
		}
	}

}
