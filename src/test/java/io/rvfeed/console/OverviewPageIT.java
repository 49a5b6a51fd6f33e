package io.rvfeed.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.session.SessionTable;
import io.rvfeed.support.Browser;
import io.rvfeed.support.FeedApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Overview page in headless Chromium: its charts' numbers (the tables beside them)
 * are the statistics API's, a bar and a row open the sessions page filtered to them with
 * the same count, and nothing breaks the Content-Security-Policy (the chart library
 * included).
 */
class OverviewPageIT extends ServiceTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String[] STATES = { "TERMINATED", "TERMINATED", "FAILED", "ACTIVE", "INITIATED" };

	@Autowired
	DataSource dataSource;

	@Test
	void chartsShowTheApisNumbersAndOpenTheFilteredFeed() throws Exception {
		TestTenants.TestTenant tenant = this.tenants.create();
		seed(tenant, 60);
		WebDriver browser = Browser.start();
		try {
			WebDriverWait wait = new WebDriverWait(browser, WAIT);
			browser.get(origin() + "/");
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
			browser.findElement(By.id("api-key")).sendKeys(tenant.key(), Keys.ENTER);
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("to-overview")));
			browser.findElement(By.id("to-overview")).click();
			wait.until(
					ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-testid=periods] tbody tr")));
			wait.until(
					ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-testid=devices] tbody tr")));
			String zone = (String) ((JavascriptExecutor) browser)
				.executeScript("return Intl.DateTimeFormat().resolvedOptions().timeZone");

			// per day, in the browser's zone, oldest first: the API's groups in time
			// order
			JsonNode days = FeedApi
				.content(this.api.get("/api/v2/rv-activity-stats/?group_by=day&limit=1000&tz=" + FeedApi.enc(zone))
					.key(tenant.key())
					.send());
			List<JsonNode> groups = new ArrayList<>();
			days.get("groups").forEach(groups::add);
			groups.sort(Comparator.comparing((JsonNode g) -> Instant.parse(g.get("key").get("day").asString())));
			List<List<String>> rows = rows(browser, "periods");
			assertThat(rows).hasSize(groups.size());
			for (int i = 0; i < groups.size(); i++) {
				JsonNode group = groups.get(i);
				assertThat(rows.get(i).subList(1, 7)).containsExactly(group.get("count").asString(),
						group.get("states").get("INITIATED").asString(),
						group.get("states").get("ACKNOWLEDGED").asString(),
						group.get("states").get("ACTIVE").asString(), group.get("states").get("TERMINATED").asString(),
						group.get("states").get("FAILED").asString());
			}
			// top devices: the API's top 10 by count
			JsonNode devices = FeedApi.content(
					this.api.get("/api/v2/rv-activity-stats/?group_by=device_name&limit=10").key(tenant.key()).send());
			List<List<String>> deviceRows = rows(browser, "devices");
			assertThat(deviceRows).hasSize(devices.get("groups").size());
			for (int i = 0; i < deviceRows.size(); i++) {
				JsonNode group = devices.get("groups").get(i);
				assertThat(deviceRows.get(i).subList(0, 3)).containsExactly(
						group.get("key").get("device_name").asString(), group.get("count").asString(),
						group.get("states").get("FAILED").asString());
			}
			assertThat(browser.findElement(By.id("totals")).getText())
				.startsWith(days.get("total").get("count").asString() + " sessions");
			// every chart drew on its canvas
			for (String chart : List.of("chart-periods", "chart-failure", "chart-durations", "chart-devices",
					"chart-users")) {
				assertThat(browser.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart).isNotEmpty();
			}
			Browser.assertNoCspViolations(browser);
			// the whole page, for the README (docs/overview.png is a copy)
			browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1900));
			Thread.sleep(500);
			screenshot(browser, "overview-1");
			browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

			// a click on a day's TERMINATED bar (the day with most: the oldest day may be
			// a sliver of a day without any) opens that day's terminated sessions
			int pick = 0;
			for (int i = 1; i < groups.size(); i++) {
				if (groups.get(i).get("states").get("TERMINATED").asLong() > groups.get(pick)
					.get("states")
					.get("TERMINATED")
					.asLong()) {
					pick = i;
				}
			}
			JsonNode firstGroup = groups.get(pick);
			long below = firstGroup.get("states").get("INITIATED").asLong()
					+ firstGroup.get("states").get("ACKNOWLEDGED").asLong()
					+ firstGroup.get("states").get("ACTIVE").asLong();
			double middle = below + firstGroup.get("states").get("TERMINATED").asLong() / 2.0;
			assertThat(firstGroup.get("states").get("TERMINATED").asLong()).isPositive();
			@SuppressWarnings("unchecked")
			List<Number> point = (List<Number>) ((JavascriptExecutor) browser)
				.executeScript("const chart = echarts.getInstanceByDom(document.getElementById('chart-periods'));"
						+ "return chart.convertToPixel({ seriesName: 'TERMINATED' }, [arguments[1], arguments[0]]);",
						middle, pick);
			WebElement periods = browser.findElement(By.id("chart-periods"));
			new org.openqa.selenium.interactions.Actions(browser)
				.moveToElement(periods, point.get(0).intValue() - periods.getSize().getWidth() / 2,
						point.get(1).intValue() - periods.getSize().getHeight() / 2)
				.click()
				.perform();
			wait.until(ExpectedConditions.urlContains("states=TERMINATED"));
			wait.until(ExpectedConditions.textMatches(By.id("count"), java.util.regex.Pattern
				.compile(".* of " + firstGroup.get("states").get("TERMINATED").asString() + "$")));
			browser.navigate().back();
			wait.until(
					ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-testid=periods] tbody tr")));

			// a day's row opens the sessions page filtered to that day: the same count
			WebElement firstDay = browser.findElement(By.cssSelector("table[data-testid=periods] tbody tr a"));
			String expected = groups.get(0).get("count").asString();
			browser.findElement(By.cssSelector("table[data-testid=periods]"))
				.findElement(By.xpath("ancestor::details"))
				.findElement(By.tagName("summary"))
				.click();
			firstDay.click();
			wait.until(ExpectedConditions.textMatches(By.id("count"),
					java.util.regex.Pattern.compile(".* of " + expected + "$")));
			assertThat(browser.getCurrentUrl()).contains("created_at_gte=").contains("created_at_lte=");
			screenshot(browser, "overview-2-feed-of-a-day");
			Browser.assertNoCspViolations(browser);
		}
		finally {
			browser.quit();
		}
	}

	private void seed(TestTenants.TestTenant tenant, int count) {
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		Random random = new Random(19);
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Instant created = now.minus(Duration.ofMinutes(30 + random.nextInt(3 * 24 * 60)));
			String state = STATES[i % STATES.length];
			Instant started = state.equals("INITIATED") ? null : created.plusSeconds(5);
			Instant ended = (state.equals("TERMINATED") || state.equals("FAILED"))
					? started.plusSeconds(30 + random.nextInt(3600)) : null;
			String name = "Kiosk-" + (i % 13) + " Lobby";
			String creator = (i % 3 == 0) ? "alice@acme.example" : "bob@acme.example";
			rows.add(new Object[] { tenant.id(), UUID.randomUUID(), UUID.randomUUID(), name, 1, state,
					(i % 4 == 0) ? "DATA_SAVER" : "STANDARD", state.equals("FAILED") ? "Agent not installed" : null,
					creator, creator, ts(created), ts((ended != null) ? ended : created), ts(started), ts(ended),
					SessionTable.fold(name), state.equals("FAILED") ? "agent not installed" : null, creator });
		}
		jdbc.batchUpdate("""
				insert into rv_session (tenant_id, session_id, device_id, device_name, device_state, state,
				    video_quality, reason, created_by, updated_by, created_at, updated_at, started_at, ended_at,
				    device_name_lc, reason_lc, created_by_lc)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""", rows);
	}

	private static Timestamp ts(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	/** A numbers table's cells, row by row (read from the DOM, also while collapsed). */
	private static List<List<String>> rows(WebDriver browser, String table) {
		List<List<String>> rows = new ArrayList<>();
		for (WebElement row : browser.findElements(By.cssSelector("table[data-testid=" + table + "] tbody tr"))) {
			rows.add(row.findElements(By.tagName("td"))
				.stream()
				.map((cell) -> cell.getAttribute("textContent"))
				.toList());
		}
		return rows;
	}

	private String origin() {
		return "http://localhost:" + this.port;
	}

	private static void screenshot(WebDriver browser, String name) throws Exception {
		Path file = Path.of("target", "screenshots", name + ".png");
		Files.createDirectories(file.getParent());
		Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
	}

}
