package io.rvfeed.architecture;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The dependency rule itself, on made-up sources and tables. */
class PackageRuleTest {

	private static final PackageRule RULE = new PackageRule(Map.of("web", Set.of(), "session", Set.of("web"), "feed",
			Set.of("session", "web"), PackageRule.ROOT, Set.of("feed", "session", "web")));

	@Test
	void aWrongWayImportFails() {
		String source = """
				package io.rvfeed.web;

				import java.util.List;

				import io.rvfeed.feed.FeedPage;

				class JsonBody {
				}
				""";
		assertThat(RULE.check("web/JsonBody.java", source))
			.containsExactly("web/JsonBody.java:5: web uses feed, which its row does not allow (it may use [])");
	}

	@Test
	void aWrongWayStaticImportFails() {
		String source = "package io.rvfeed.session;\nimport static io.rvfeed.feed.FeedItems.toItem;\n";
		assertThat(RULE.check("S.java", source)).singleElement().asString().contains("session uses feed");
	}

	@Test
	void aQualifiedReferenceInCodeCounts() {
		String source = """
				package io.rvfeed.session;

				class SessionService {
					io.rvfeed.feed.FeedItem item;
				}
				""";
		assertThat(RULE.check("S.java", source)).singleElement().asString().startsWith("S.java:4: session uses feed");
	}

	@Test
	void allowedUsesPass() {
		String source = """
				package io.rvfeed.feed;

				import static io.rvfeed.session.SessionTable.STATE;

				import io.rvfeed.session.FeedItem;
				import io.rvfeed.web.InvalidRequest;

				class FeedController {
					io.rvfeed.feed.FeedQuery query;
				}
				""";
		assertThat(RULE.check("F.java", source)).isEmpty();
	}

	@Test
	void commentsAndStringsDoNotCount() {
		String source = """
				package io.rvfeed.web;

				/** Like {@code io.rvfeed.feed.FeedPage}, see io.rvfeed.session. */
				class RequestLogFilter {
					// io.rvfeed.feed
					/* io.rvfeed.feed */
					static final String LOGGER = "io.rvfeed.requests";
					static final char QUOTE = '"';
					static final String ESCAPED = "\\" io.rvfeed.feed \\"";
					static final String BLOCK = \"""
							io.rvfeed.feed.FeedPage
							\""";
				}
				""";
		assertThat(RULE.check("W.java", source)).isEmpty();
	}

	@Test
	void theRootPackageIsAPackageToo() {
		String source = "package io.rvfeed.feed;\nclass Main { Class<?> app = io.rvfeed.RvFeedApplication.class; }\n";
		assertThat(RULE.check("M.java", source)).singleElement().asString().contains("feed uses (root)");
		assertThat(RULE.check("R.java", "package io.rvfeed;\nimport io.rvfeed.feed.FeedRepository;\n")).isEmpty();
	}

	@Test
	void aSubPackageBelongsToItsTopLevelPackage() {
		String source = "package io.rvfeed.feed.export;\nimport io.rvfeed.feed.FeedQuery;\nimport io.rvfeed.web.X;\n";
		assertThat(RULE.check("E.java", source)).isEmpty();
	}

	@Test
	void aPackageWithoutARowFailsOnItsFirstUse() {
		String source = "package io.rvfeed.webhook;\nimport io.rvfeed.session.FeedItem;\n";
		assertThat(RULE.check("H.java", source)).singleElement()
			.asString()
			.contains("webhook uses session, but package webhook has no row");
	}

	@Test
	void aTableWithACycleIsRefused() {
		assertThatIllegalStateException()
			.isThrownBy(() -> PackageRule.layers(Map.of("web", Set.of("feed"), "feed", Set.of("web"))))
			.withMessageContaining("cycle");
		assertThat(PackageRule.layers(Map.of("web", Set.of(), "feed", Set.of("web")))).containsExactly("web", "feed");
	}

}
