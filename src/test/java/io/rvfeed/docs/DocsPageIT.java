package io.rvfeed.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.rvfeed.support.Browser;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API reference at /docs renders in headless Chromium, from packaged assets only,
 * under the service's Content-Security-Policy without a violation, and its Try it out
 * calls the server the page came from.
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

	@Test
	void tryItOutSignsInAndReadsTheFeedFromAnyAddress() throws Exception {
		WebDriver browser = Browser.start();
		try {
			// 127.0.0.1, not the localhost of the other test: the document names no host
			String origin = "http://127.0.0.1:" + this.port;
			browser.get(origin + "/docs");
			WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
			wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.authorize")));
			browser.findElement(By.cssSelector("button.authorize")).click();
			WebElement apiKey = wait.until((driver) -> driver.findElements(By.cssSelector(".auth-container"))
				.stream()
				.filter((container) -> container.getText().contains("apiKey"))
				.findFirst()
				.orElse(null));
			apiKey.findElement(By.cssSelector("input")).sendKeys(IntegrationTest.BOOTSTRAP_KEY);
			apiKey.findElement(By.cssSelector("button.authorize")).click();
			wait.until(ExpectedConditions.textToBePresentInElement(apiKey, "Logout"));
			browser.findElement(By.cssSelector("button.btn-done")).click();

			WebElement operation = browser.findElement(By.id("operations-Activity_feed-getRvActivityFeed"));
			((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", operation);
			operation.findElement(By.cssSelector(".opblock-summary")).click();
			WebElement execute = wait.until((driver) -> operation.findElement(By.cssSelector("button.execute")));
			// examples are shown, not filled in: no foreign tenant id, no filter
			assertThat(operation.getText()).contains("Example").contains("TERMINATED,FAILED");
			for (WebElement input : operation.findElements(By.cssSelector(".parameters input[type=text]"))) {
				String name = input.getAttribute("placeholder");
				if (!"limit".equals(name) && !"offset".equals(name) && !"ordering".equals(name)) {
					assertThat(input.getAttribute("value")).as(name).isEmpty();
				}
			}
			execute.click();
			WebElement status = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
					"#operations-Activity_feed-getRvActivityFeed .live-responses-table tr.response .response-col_status")));
			assertThat(status.getText()).startsWith("200");
			assertThat(operation.findElement(By.cssSelector(".request-url pre")).getText())
				.startsWith(origin + "/api/v2/rv-activity-feed/")
				.doesNotContain("states=")
				.doesNotContain("device_name=");
			assertThat(operation.findElement(By.cssSelector(".live-responses-table")).getText()).contains("\"count\"");
			Browser.assertNoCspViolations(browser);
		}
		finally {
			browser.quit();
		}
	}

}
