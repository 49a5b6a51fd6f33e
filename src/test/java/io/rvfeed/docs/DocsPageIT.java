package io.rvfeed.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.rvfeed.support.Browser;
import io.rvfeed.support.ServiceTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API reference at /docs renders in headless Chromium, from packaged assets only,
 * under the service's Content-Security-Policy without a violation.
 */
class DocsPageIT extends ServiceTest {

	@Test
	void theReferenceShowsTheFeedOperation() throws Exception {
		WebDriver browser = Browser.start();
		try {
			browser.get("http://localhost:" + this.port + "/docs");
			new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions
				.textToBePresentInElementLocated(By.cssSelector("#swagger-ui"), "/api/v2/rv-activity-feed/"));
			assertThat(browser.findElement(By.cssSelector("#swagger-ui")).getText()).contains("rv-feed API")
				.contains("/api/v2/rv-sessions/")
				.contains("Authorize");
			var feedOperation = browser.findElement(By.id("operations-Activity_feed-getRvActivityFeed"));
			((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
					feedOperation);
			assertThat(feedOperation.isDisplayed()).isTrue();
			// open an operation (its schemas, examples and "Try it out" render too)
			feedOperation.findElement(By.cssSelector(".opblock-summary")).click();
			new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions
				.visibilityOfElementLocated(By.cssSelector("#operations-Activity_feed-getRvActivityFeed .try-out")));
			Browser.assertNoCspViolations(browser);
			Browser.assertInlineScriptsAreRefused(browser);
			Path screenshot = Path.of("target", "screenshots", "docs.png");
			Files.createDirectories(screenshot.getParent());
			Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
		}
		finally {
			browser.quit();
		}
	}

}
