package io.rvfeed.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.session.SessionTable;
import io.rvfeed.support.Browser;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's details in headless Chromium, in Berlin time: date presets, a URL per
 * session (opening changes it, the URL opens it, Back closes it), Esper's device-state
 * names, the time zone on the time columns with a UTC toggle kept in the URL, dark mode
 * by the system preference and by the switch, collapsible filters on a wide screen, and
 * live changes announced instead of moving a later page.
 */
class ConsoleDetailsIT extends ServiceTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	/** Hours ago of each seeded session: some in the last day, week, month, and older. */
	private static final int[] HOURS_AGO = { 2, 5, 10, 20, 30, 50, 80, 120, 150, 200, 300, 400, 500, 600, 650, 800, 900,
			1000, 1100, 1200, 1300, 1400, 1500 };

	@Autowired
	DataSource dataSource;

	@Test
	void presetsSessionUrlTimeZoneDarkModeFiltersAndLiveAnnouncements() throws Exception {
		TestTenants.TestTenant tenant = this.tenants.create();
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		List<UUID> ids = seed(tenant, now);
		UUID newest = ids.get(0);
		WebDriver browser = Browser.start();
		try {
			ChromeDriver chrome = (ChromeDriver) browser;
			chrome.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Europe/Berlin"));
			WebDriverWait wait = new WebDriverWait(browser, WAIT);
			browser.get(origin() + "/");
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
			browser.findElement(By.id("api-key")).sendKeys(tenant.key(), Keys.ENTER);
			awaitCountEnds(wait, "of " + HOURS_AGO.length);

			// presets: the last 24 hours, 7 and 30 days, this month (Berlin's)
			preset(browser, wait, "24h", count(24));
			assertThat(browser.getCurrentUrl()).contains("created_at_gte=");
			preset(browser, wait, "7d", count(7 * 24));
			preset(browser, wait, "30d", count(30 * 24));
			Instant monthStart = ZonedDateTime.ofInstant(now, ZoneId.of("Europe/Berlin"))
				.withDayOfMonth(1)
				.truncatedTo(ChronoUnit.DAYS)
				.toInstant();
			long thisMonth = 0;
			for (int hours : HOURS_AGO) {
				thisMonth += now.minus(Duration.ofHours(hours)).isBefore(monthStart) ? 0 : 1;
			}
			preset(browser, wait, "month", thisMonth);
			browser.findElement(By.id("reset")).click();
			awaitCountEnds(wait, "of " + HOURS_AGO.length);

			// a URL per session: opening the newest changes the URL; it shows the state's
			// name
			browser.findElements(By.cssSelector("#rows tr")).get(0).click();
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
			wait.until(ExpectedConditions.urlContains("session=" + newest));
			wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-fields"), "Offline (60)"));
			screenshot(browser, "details-1-session");
			new Actions(browser).sendKeys(Keys.ESCAPE).perform();
			wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));
			wait.until((d) -> !d.getCurrentUrl().contains("session="));
			// the URL opens it
			browser.get(origin() + "/?session=" + newest);
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
			wait.until(ExpectedConditions.textToBe(By.id("detail-title"), "Device-0"));
			new Actions(browser).sendKeys(Keys.ESCAPE).perform();
			wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));
			assertThat(browser.getCurrentUrl()).doesNotContain("session=");

			// the time columns name their zone; the toggle shows UTC and is kept in the
			// URL
			awaitCountEnds(wait, "of " + HOURS_AGO.length);
			By zoneLabel = By.cssSelector("th[data-key=created_at] .zone-label");
			assertThat(browser.findElement(zoneLabel).getText()).isEqualTo("Europe/Berlin");
			String berlin = firstCreated(browser);
			browser.findElement(By.id("tz-toggle")).click();
			wait.until(ExpectedConditions.textToBe(zoneLabel, "UTC"));
			assertThat(browser.getCurrentUrl()).contains("tz=utc");
			String utc = firstCreated(browser);
			assertThat(utc).isNotEqualTo(berlin);
			browser.navigate().refresh();
			wait.until(ExpectedConditions.textToBe(zoneLabel, "UTC"));
			awaitCountEnds(wait, "of " + HOURS_AGO.length);
			assertThat(firstCreated(browser)).isEqualTo(utc);
			browser.findElement(By.id("tz-toggle")).click();
			wait.until(ExpectedConditions.textToBe(zoneLabel, "Europe/Berlin"));
			assertThat(browser.getCurrentUrl()).doesNotContain("tz=utc");

			// dark mode: the system's preference, then the switch (auto -> dark -> light)
			assertThat(isDark(browser)).isFalse();
			chrome.executeCdpCommand("Emulation.setEmulatedMedia",
					Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
			wait.until((d) -> isDark(d));
			assertThat(background(browser)).isEqualTo("rgb(18, 22, 28)");
			chrome.executeCdpCommand("Emulation.setEmulatedMedia",
					Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
			wait.until((d) -> !isDark(d));
			browser.findElement(By.id("theme-toggle")).click();
			assertThat(browser.findElement(By.id("theme-toggle")).getText()).isEqualTo("Theme: dark");
			assertThat(isDark(browser)).isTrue();
			screenshot(browser, "details-2-dark");
			browser.navigate().refresh();
			wait.until((d) -> isDark(d));
			browser.findElement(By.id("theme-toggle")).click();
			assertThat(browser.findElement(By.id("theme-toggle")).getText()).isEqualTo("Theme: light");
			assertThat(isDark(browser)).isFalse();
			browser.findElement(By.id("theme-toggle")).click();
			assertThat(browser.findElement(By.id("theme-toggle")).getText()).isEqualTo("Theme: auto");

			// the filters collapse on a wide screen too
			awaitCountEnds(wait, "of " + HOURS_AGO.length);
			assertThat(browser.findElement(By.id("filters")).isDisplayed()).isTrue();
			browser.findElement(By.id("filters-toggle")).click();
			wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("filters")));
			assertThat(browser.findElement(By.id("filters-toggle")).getAttribute("aria-expanded")).isEqualTo("false");
			browser.findElement(By.id("filters-toggle")).click();
			wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("filters")));

			// live on page 2: a new session is announced, the rows stay; "show" opens
			// page 1
			new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("limit"))).selectByValue("20");
			browser.findElement(By.id("next")).click();
			awaitCountEnds(wait, "rows 21\u2013" + HOURS_AGO.length + " of " + HOURS_AGO.length);
			wait.until(ExpectedConditions.textToBe(By.id("live-status"), "Live"));
			UUID live = UUID.randomUUID();
			HttpApi.Reply created = write(tenant)
				.create("{\"session_id\":\"" + live + "\",\"device_id\":\"" + UUID.randomUUID()
						+ "\",\"device_name\":\"Live-Kiosk Oslo\",\"created_at\":\"" + Instant.now() + "\"}");
			assertThat(created.status()).isEqualTo(201);
			wait.until(ExpectedConditions.textToBe(By.id("pending"), "1 new, show"));
			assertThat(browser.findElement(By.id("count")).getText())
				.isEqualTo("rows 21\u2013" + HOURS_AGO.length + " of " + HOURS_AGO.length);
			screenshot(browser, "details-3-announced");
			browser.findElement(By.id("pending")).click();
			awaitCountEnds(wait, "rows 1\u201320 of " + (HOURS_AGO.length + 1));
			wait.until((d) -> d.findElements(By.cssSelector("#rows tr")).get(0).getText().contains("Live-Kiosk Oslo"));
			assertThat(browser.findElement(By.id("pending")).isDisplayed()).isFalse();
			Browser.assertNoCspViolations(browser);
		}
		finally {
			browser.quit();
		}
	}

	private long count(int hours) {
		long count = 0;
		for (int ago : HOURS_AGO) {
			count += (ago < hours) ? 1 : 0;
		}
		return count;
	}

	private static void preset(WebDriver browser, WebDriverWait wait, String preset, long expected) {
		browser.findElement(By.cssSelector("[data-preset='" + preset + "']")).click();
		awaitCountEnds(wait, (expected == 0) ? "No rows" : "of " + expected);
	}

	private static void awaitCountEnds(WebDriverWait wait, String end) {
		String[] last = { "" };
		wait.withMessage(() -> "the count to end with '" + end + "'; it reads '" + last[0] + "'").until((d) -> {
			last[0] = d.findElement(By.id("count")).getText();
			return last[0].endsWith(end);
		});
	}

	private static String firstCreated(WebDriver browser) {
		return browser.findElement(By.cssSelector("#rows tr td[data-label=Created] time")).getText();
	}

	private static boolean isDark(WebDriver browser) {
		return (Boolean) ((JavascriptExecutor) browser)
			.executeScript("return document.documentElement.classList.contains('dark')");
	}

	private static String background(WebDriver browser) {
		return (String) ((JavascriptExecutor) browser)
			.executeScript("return getComputedStyle(document.body).backgroundColor");
	}

	/**
	 * Newest first: session i was created HOURS_AGO[i] hours ago; the newest is Offline
	 * (60).
	 */
	private List<UUID> seed(TestTenants.TestTenant tenant, Instant now) {
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		List<UUID> ids = new ArrayList<>();
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < HOURS_AGO.length; i++) {
			UUID id = UUID.randomUUID();
			ids.add(id);
			Instant created = now.minus(Duration.ofHours(HOURS_AGO[i]));
			String name = "Device-" + i;
			rows.add(new Object[] { tenant.id(), id, UUID.randomUUID(), name, (i == 0) ? 60 : 1, "TERMINATED",
					"STANDARD", "Ended by console user", "alice@acme.example", "alice@acme.example",
					Timestamp.from(created), Timestamp.from(created.plusSeconds(600)),
					Timestamp.from(created.plusSeconds(5)), Timestamp.from(created.plusSeconds(600)),
					SessionTable.fold(name), "ended by console user", "alice@acme.example" });
		}
		jdbc.batchUpdate("""
				insert into rv_session (tenant_id, session_id, device_id, device_name, device_state, state,
				    video_quality, reason, created_by, updated_by, created_at, updated_at, started_at, ended_at,
				    device_name_lc, reason_lc, created_by_lc)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""", rows);
		return ids;
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
