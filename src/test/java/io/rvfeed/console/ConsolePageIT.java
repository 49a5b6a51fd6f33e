package io.rvfeed.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.rvfeed.support.Browser;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console at {@code /} in headless Chromium, against sessions written through the
 * real write API: sign-in, filtering, sorting, paging, the timeline dialog, live updates,
 * the narrow layout, and the same journey by keyboard only; all under the service's
 * Content-Security-Policy, failing on any violation the browser reports.
 */
class ConsolePageIT extends ServiceTest {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");

	private static final String[] CITIES = { "Berlin", "Lyon", "Denver", "Osaka", "Porto" };

	TestTenants.TestTenant tenant;

	WriteApi write;

	@BeforeEach
	void setUp() {
		this.tenant = this.tenants.create();
		this.write = write(this.tenant);
	}

	/**
	 * Session i is created at START + 10 i minutes; two in three end TERMINATED after i +
	 * 1 minutes, the rest are FAILED (even i) or still ACTIVE (odd i).
	 */
	private List<Seeded> seed(int count) {
		List<Seeded> seeded = new ArrayList<>();
		StringBuilder events = new StringBuilder();
		for (int i = 0; i < count; i++) {
			UUID id = UUID.randomUUID();
			Instant created = START.plus(Duration.ofMinutes(10L * i));
			String name = String.format("Kiosk-%03d %s", i, CITIES[i % CITIES.length]);
			String alias = (i % 4 == 0) ? ",\"device_alias\":\"Till " + i + "\"" : "";
			HttpApi.Reply reply = this.write
				.create("{\"session_id\":\"" + id + "\",\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\""
						+ name + "\"" + alias + ",\"device_state\":1,\"video_quality\":\""
						+ ((i % 5 == 0) ? "DATA_SAVER" : "STANDARD") + "\",\"created_at\":\"" + created
						+ "\",\"created_by\":\"" + ((i % 2 == 0) ? "alice@acme.example" : "bob@acme.example") + "\"}");
			assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
			Instant started = created.plusSeconds(5);
			String state;
			Duration duration = null;
			if (i % 3 != 2) {
				state = "TERMINATED";
				duration = Duration.ofMinutes(i + 1);
				events.append(event(id, "ACTIVE", started, null));
				events.append(event(id, "TERMINATED", started.plus(duration), "Ended by console user"));
			}
			else if (i % 2 == 0) {
				state = "FAILED";
				events.append(event(id, "FAILED", started, "Remote viewer agent is not installed"));
			}
			else {
				state = "ACTIVE";
				events.append(event(id, "ACTIVE", started, null));
			}
			seeded.add(new Seeded(id, name, state, duration));
		}
		HttpApi.Reply batch = this.write.batch(events.toString(), "application/x-ndjson");
		assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
		assertThat(batch.json().get("content").get("counts").get("applied").asInt())
			.isEqualTo(events.toString().split("\n").length);
		return seeded;
	}

	private static String event(UUID sessionId, String state, Instant at, String reason) {
		return "{\"session_id\":\"" + sessionId + "\",\"state\":\"" + state + "\",\"occurred_at\":\"" + at + "\""
				+ ((reason != null) ? ",\"reason\":\"" + reason + "\"" : "") + ",\"updated_by\":\"device\"}\n";
	}

	@Test
	void aUserFiltersSortsPagesOpensATimelineAndSeesLiveChanges() throws Exception {
		List<Seeded> seeded = seed(45);
		List<Seeded> terminatedByDuration = seeded.stream()
			.filter((s) -> s.state().equals("TERMINATED"))
			.sorted(Comparator.comparing(Seeded::duration))
			.toList();
		assertThat(terminatedByDuration).hasSize(30);
		WebDriver browser = Browser.start();
		try {
			// the table is re-rendered whenever a live change arrives: a row read
			// while that happens is stale, and the condition is simply evaluated again
			WebDriverWait wait = new WebDriverWait(browser, WAIT);
			wait.ignoring(StaleElementReferenceException.class);
			browser.get(origin() + "/");
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
			assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
			screenshot(browser, "console-1-sign-in");

			// a wrong key: back to the form with a message
			browser.findElement(By.id("api-key")).sendKeys("rvf_not-a-real-key-0000", Keys.ENTER);
			wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-message"), "not accepted"));
			assertThat(sessionStorageKey(browser)).isNull();

			browser.findElement(By.id("api-key")).sendKeys(this.tenant.key(), Keys.ENTER);
			awaitCount(wait, "rows 1\u201320 of 45");
			assertThat(rowTexts(browser)).hasSize(20);
			// newest first by default
			assertThat(rowTexts(browser).get(0)).contains(seeded.get(44).name());
			assertThat(sessionStorageKey(browser)).isEqualTo(this.tenant.key());
			assertThat((String) js(browser, "return localStorage.length + ':' + document.cookie")).isEqualTo("0:");
			wait.until(ExpectedConditions.textToBe(By.id("live-status"), "Live"));
			screenshot(browser, "console-2-table");

			// filter by state
			browser.findElement(By.cssSelector("#states input[value=TERMINATED]")).click();
			awaitCount(wait, "rows 1\u201320 of 30");
			assertThat(browser.getCurrentUrl()).contains("states=TERMINATED");
			assertThat(stateCells(browser)).hasSize(20).allMatch("TERMINATED"::equals);
			screenshot(browser, "console-3-filtered");

			// sort by duration, ascending
			browser.findElement(By.cssSelector("th[data-key=duration] button")).click();
			wait.until(ExpectedConditions.attributeToBe(By.cssSelector("th[data-key=duration]"), "aria-sort",
					"ascending"));
			wait.until((d) -> rowTexts(d).get(0).contains(terminatedByDuration.get(0).name()));
			assertThat(browser.getCurrentUrl()).contains("ordering=duration");
			assertThat(firstCell(browser, "Duration")).isEqualTo("1 min");
			screenshot(browser, "console-4-sorted");

			// the export downloads this view under the server's file name
			js(browser,
					"window.downloads = []; const click = HTMLAnchorElement.prototype.click;"
							+ " HTMLAnchorElement.prototype.click = function () {"
							+ " if (this.download) window.downloads.push(this.download); return click.call(this); };");
			browser.findElement(By.id("export-csv")).click();
			wait.until((d) -> ((Number) js(d, "return window.downloads.length")).intValue() == 1);
			assertThat((String) js(browser, "return window.downloads[0]")).matches("rv-activity-feed-.+\\.csv");
			assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();

			// the tenant's events, for a SIEM, from the export menu
			browser.findElement(By.cssSelector("#export-events-menu summary")).click();
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("export-events-cef")));
			screenshot(browser, "console-4b-export-events");
			browser.findElement(By.id("export-events-cef")).click();
			wait.until((d) -> ((Number) js(d, "return window.downloads.length")).intValue() == 2);
			assertThat((String) js(browser, "return window.downloads[1]")).matches("rv-session-events-.+\\.cef");
			assertThat(browser.findElement(By.id("export-events-cef")).isDisplayed()).isFalse();
			assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();

			// page forward
			browser.findElement(By.id("next")).click();
			awaitCount(wait, "rows 21\u201330 of 30");
			assertThat(browser.getCurrentUrl()).contains("offset=20");
			Seeded twentyFirst = terminatedByDuration.get(20);
			assertThat(rowTexts(browser)).hasSize(10);
			assertThat(rowTexts(browser).get(0)).contains(twentyFirst.name());
			assertThat(firstCell(browser, "Duration")).isEqualTo(twentyFirst.duration().toMinutes() + " min");
			assertThat(browser.findElement(By.id("next")).isEnabled()).isFalse();
			screenshot(browser, "console-5-page-2");

			// the first row's timeline
			browser.findElements(By.cssSelector("#rows tr")).get(0).click();
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
			wait.until(ExpectedConditions.textToBe(By.id("detail-title"), twentyFirst.name()));
			wait.until((d) -> d.findElements(By.cssSelector("#timeline .timeline-entry")).size() == 3);
			assertThat(browser.findElements(By.cssSelector("#timeline .timeline-entry .badge")))
				.extracting(WebElement::getText)
				.containsExactly("INITIATED", "ACTIVE", "TERMINATED");
			assertThat(browser.findElement(By.id("timeline")).getText()).contains("Ended by console user")
				.contains("by device");
			assertThat(browser.findElement(By.id("detail-fields")).getText())
				.contains(twentyFirst.duration().toMinutes() + " min")
				.contains(twentyFirst.id().toString());
			screenshot(browser, "console-6-timeline");
			new Actions(browser).sendKeys(Keys.ESCAPE).perform();
			wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));
			assertThat(browser.switchTo().activeElement().getAttribute("data-session-id"))
				.isEqualTo(twentyFirst.id().toString());

			// Back returns to the first page of the same view
			browser.navigate().back();
			awaitCount(wait, "rows 1\u201320 of 30");
			assertThat(browser.getCurrentUrl()).contains("ordering=duration").doesNotContain("offset=");

			// a session written now appears without a reload, in its place by duration
			UUID liveId = UUID.randomUUID();
			Instant now = Instant.now();
			HttpApi.Reply created = this.write.create("{\"session_id\":\"" + liveId + "\",\"device_id\":\""
					+ UUID.randomUUID() + "\",\"device_name\":\"Live-Kiosk-999 Oslo\",\"created_at\":\"" + now + "\"}");
			assertThat(created.status()).isEqualTo(201);
			HttpApi.Reply ended = this.write.batch(
					event(liveId, "ACTIVE", now.plusSeconds(1), null)
							+ event(liveId, "TERMINATED", now.plusSeconds(31), "Ended by console user"),
					"application/x-ndjson");
			assertThat(ended.status()).isEqualTo(200);
			awaitCount(wait, "rows 1\u201320 of 31");
			wait.until((d) -> rowTexts(d).get(0).contains("Live-Kiosk-999 Oslo"));
			assertThat(firstCell(browser, "Duration")).isEqualTo("30 s");
			assertThat(browser.findElement(By.cssSelector("#rows tr")).getAttribute("class")).contains("changed");
			screenshot(browser, "console-7-live");

			// the narrow layout: filters behind a button,
			// no sideways scrolling of the page
			browser.manage().window().setSize(new Dimension(420, 900));
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("filters-toggle")));
			assertThat(browser.findElement(By.id("filters")).isDisplayed()).isFalse();
			assertThat((Boolean) js(browser,
					"return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
				.isTrue();
			js(browser, "window.scrollTo(0, 0)");
			screenshot(browser, "console-8-narrow");
			browser.findElement(By.id("filters-toggle")).click();
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("filters")));
			assertThat(browser.findElement(By.id("filters-toggle")).getAttribute("aria-expanded")).isEqualTo("true");
			screenshot(browser, "console-9-narrow-filters");

			// sign out forgets the key
			browser.findElement(By.id("sign-out")).click();
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
			assertThat(sessionStorageKey(browser)).isNull();
			Browser.assertNoCspViolations(browser);
			Browser.assertInlineScriptsAreRefused(browser);
		}
		finally {
			browser.quit();
		}
	}

	@Test
	void fromSignInToATimelineByKeyboardOnly() throws Exception {
		List<Seeded> seeded = seed(3);
		WebDriver browser = Browser.start();
		try {
			WebDriverWait wait = new WebDriverWait(browser, WAIT);
			browser.get(origin() + "/");
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
			tabUntil(browser, "the key field", (active) -> "api-key".equals(active.getAttribute("id")), 5);
			new Actions(browser).sendKeys(this.tenant.key()).sendKeys(Keys.ENTER).perform();
			awaitCount(wait, "rows 1\u20133 of 3");
			WebElement row = tabUntil(browser, "a table row",
					(active) -> "tr".equals(active.getTagName()) && active.getAttribute("data-session-id") != null, 40);
			String sessionId = row.getAttribute("data-session-id");
			// newest first: the first row is the last session seeded
			assertThat(sessionId).isEqualTo(seeded.get(2).id().toString());
			new Actions(browser).sendKeys(Keys.ENTER).perform();
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
			// session 2 failed before it started
			wait.until((d) -> d.findElements(By.cssSelector("#timeline .timeline-entry")).size() == 2);
			assertThat(browser.findElement(By.id("detail-title")).getText()).isEqualTo(seeded.get(2).name());
			assertThat(browser.findElements(By.cssSelector("#timeline .timeline-entry .badge")))
				.extracting(WebElement::getText)
				.containsExactly("INITIATED", "FAILED");
			assertThat(browser.findElement(By.id("timeline")).getText())
				.contains("Remote viewer agent is not installed");
			screenshot(browser, "console-keyboard-timeline");
			new Actions(browser).sendKeys(Keys.ESCAPE).perform();
			wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));
			assertThat(browser.switchTo().activeElement().getAttribute("data-session-id")).isEqualTo(sessionId);
			Browser.assertNoCspViolations(browser);
		}
		finally {
			browser.quit();
		}
	}

	private WebElement tabUntil(WebDriver browser, String what, java.util.function.Predicate<WebElement> reached,
			int maxTabs) {
		List<String> visited = new ArrayList<>();
		for (int i = 0; i < maxTabs; i++) {
			new Actions(browser).sendKeys(Keys.TAB).perform();
			WebElement active = browser.switchTo().activeElement();
			if (reached.test(active)) {
				return active;
			}
			visited.add(active.getTagName() + "#" + active.getAttribute("id"));
		}
		throw new AssertionError("Tab never reached " + what + "; visited " + visited);
	}

	private String origin() {
		return "http://localhost:" + this.port;
	}

	private static void awaitCount(WebDriverWait wait, String text) {
		wait.until(ExpectedConditions.textToBe(By.id("count"), text));
	}

	private static List<String> rowTexts(WebDriver browser) {
		return browser.findElements(By.cssSelector("#rows tr")).stream().map(WebElement::getText).toList();
	}

	private static List<String> stateCells(WebDriver browser) {
		return browser.findElements(By.cssSelector("#rows td[data-label=State]"))
			.stream()
			.map(WebElement::getText)
			.toList();
	}

	private static String firstCell(WebDriver browser, String label) {
		return browser.findElement(By.cssSelector("#rows tr td[data-label='" + label + "']")).getText();
	}

	private static String sessionStorageKey(WebDriver browser) {
		return (String) js(browser, "return sessionStorage.getItem('rvfeed.apiKey')");
	}

	private static Object js(WebDriver browser, String script) {
		return ((JavascriptExecutor) browser).executeScript(script);
	}

	private static void screenshot(WebDriver browser, String name) throws Exception {
		Path file = Path.of("target", "screenshots", name + ".png");
		Files.createDirectories(file.getParent());
		Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
	}

	record Seeded(UUID id, String name, String state, Duration duration) {
	}

}
