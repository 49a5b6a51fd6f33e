package io.rvfeed.webhook;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.rvfeed.support.Browser;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's Webhooks page in headless Chromium: an endpoint's health, its messages
 * and their attempts, a retry, and a new endpoint whose secret is shown once.
 */
class WebhooksConsoleIT extends ServiceTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Test
	void anAdminSeesEndpointsMessagesAndAttemptsRetriesAndCreatesAnEndpoint() throws Exception {
		TestTenant tenant = this.tenants.create();
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			Webhooks.Made endpoint = new Webhooks(new HttpApi(this.port), tenant.key()).create(receiver.url("/console"),
					"[]");
			receiver.secrets("/console", endpoint.secret());
			write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
			assertThat(receiver.await("/console", 1, WAIT)).hasSize(1);
			String messageId = receiver.deliveries("/console").get(0).id();
			WebhookDeliveryIT.awaitStatus(new Webhooks(new HttpApi(this.port), tenant.key()), endpoint.id(), messageId,
					"delivered");

			WebDriver browser = Browser.start();
			try {
				WebDriverWait wait = new WebDriverWait(browser, WAIT);
				browser.get("http://localhost:" + this.port + "/");
				wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
				browser.findElement(By.id("api-key")).sendKeys(tenant.key(), Keys.ENTER);
				wait.until(ExpectedConditions.elementToBeClickable(By.id("webhooks-link"))).click();

				By endpointRow = By.cssSelector("#wh-endpoints tr[data-id='" + endpoint.id() + "']");
				WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(endpointRow));
				assertThat(row.getText()).contains(receiver.url("/console")).contains("Healthy");
				row.findElement(By.xpath(".//button[text()='Messages']")).click();

				By messageRow = By.cssSelector("#wh-messages tr[data-id='" + messageId + "']");
				WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(messageRow));
				assertThat(message.getText()).contains("rv_session.created").contains("delivered");
				message.findElement(By.xpath(".//button[text()='Attempts']")).click();
				wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("wh-attempts-list"), "success"));
				assertThat(browser.findElement(By.id("wh-attempts-list")).getText()).contains("HTTP 204");

				browser.findElement(messageRow).findElement(By.xpath(".//button[text()='Retry']")).click();
				assertThat(receiver.await("/console", 2, WAIT)).hasSize(2);
				assertThat(receiver.deliveries("/console").get(1).id()).isEqualTo(messageId);

				browser.findElement(By.id("wh-url")).sendKeys(receiver.url("/second"));
				browser.findElement(By.cssSelector("input[name='event_types'][value='rv_session.ended']")).click();
				browser.findElement(By.cssSelector("#wh-new button[type='submit']")).click();
				wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("wh-secret")));
				assertThat(browser.findElement(By.id("wh-secret-value")).getText()).startsWith("whsec_");
				wait.until((d) -> d.findElements(By.cssSelector("#wh-endpoints tbody tr")).size() == 2);
				assertThat(browser.findElement(By.id("wh-endpoints")).getText()).contains("rv_session.ended");
				Browser.assertNoCspViolations(browser);
			}
			finally {
				browser.quit();
			}
		}
	}

}
