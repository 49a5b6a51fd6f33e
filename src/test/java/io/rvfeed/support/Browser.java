package io.rvfeed.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headless Chromium from Debian's packages ({@code chromium}, {@code chromium-driver}),
 * which {@code .ci/run} installs. Where they are missing, browser tests are skipped,
 * unless {@code RVFEED_REQUIRE_BROWSER=true} (as in CI) makes that a failure. Pages run
 * under the service's Content-Security-Policy, and every violation the browser reports
 * (as a {@code securitypolicyviolation} event or in its console) is collected, so that a
 * test can fail on it.
 */
public final class Browser {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	/** Runs before any script of every page: records its CSP violations. */
	private static final String VIOLATION_RECORDER = """
			window.__cspViolations = [];
			document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
			    e.effectiveDirective + ' refused ' + (e.blockedURI || 'inline code') + ' (' + e.sourceFile + ':'
			    + e.lineNumber + ')'));
			""";

	private Browser() {
	}

	public static WebDriver start() throws Exception {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
		if (!installed && "true".equals(System.getenv("RVFEED_REQUIRE_BROWSER"))) {
			throw new IllegalStateException(
					"Chromium is required but not installed: apt-get install chromium chromium-driver");
		}
		Assumptions.assumeTrue(installed, "Chromium is not installed (apt-get install chromium chromium-driver)");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toString());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1280,900",
				"--user-data-dir=" + Files.createTempDirectory("rvfeed-chromium"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
		ChromeDriver browser = new ChromeDriver(service, options);
		browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", VIOLATION_RECORDER));
		return browser;
	}

	/**
	 * The Content-Security-Policy violations reported since the last call: by the page
	 * now open, and in the browser's console by every page before it.
	 */
	public static List<String> cspViolations(WebDriver browser) {
		List<String> violations = new ArrayList<>();
		Object recorded = ((JavascriptExecutor) browser)
			.executeScript("const v = window.__cspViolations || []; window.__cspViolations = []; return v;");
		if (recorded instanceof List<?> list) {
			list.forEach((violation) -> violations.add(String.valueOf(violation)));
		}
		for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
			if (entry.getMessage().contains("Content Security Policy")) {
				violations.add(entry.getMessage());
			}
		}
		return violations;
	}

	public static void assertNoCspViolations(WebDriver browser) {
		assertThat(cspViolations(browser)).as("Content-Security-Policy violations reported by the browser").isEmpty();
	}

	/**
	 * Proves the policy is in force on the open page, and that its violations are seen:
	 * an inline script added to it must not run, and must be reported.
	 */
	public static void assertInlineScriptsAreRefused(WebDriver browser) {
		assertNoCspViolations(browser);
		Object ran = ((JavascriptExecutor) browser).executeScript("""
				const script = document.createElement('script');
				script.textContent = 'window.__inlineRan = true';
				document.head.appendChild(script);
				return window.__inlineRan === true;
				""");
		assertThat(ran).as("an inline script ran: no Content-Security-Policy in force").isEqualTo(Boolean.FALSE);
		assertThat(cspViolations(browser)).as("the refused inline script is reported")
			.anySatisfy((violation) -> assertThat(violation).contains("script-src"));
	}

}
