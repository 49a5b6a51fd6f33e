package io.rvfeed.web;

import java.time.Duration;

import org.springframework.stereotype.Component;

/**
 * When the API last began an authenticated request within its key's rate limit: work in
 * the background (webhook delivery) gives way to the API's callers while they keep it
 * busy. Requests refused with 401 or 429 do not count, so a flood of them cannot hold
 * delivery back. One volatile write per request.
 */
@Component
public class ApiActivity {

	private volatile long lastStart = System.nanoTime() - Duration.ofDays(1).toNanos();

	/** An authenticated API request begins. */
	public void began() {
		this.lastStart = System.nanoTime();
	}

	/** Whether an API request began within {@code window}. */
	public boolean startedWithin(Duration window) {
		return System.nanoTime() - this.lastStart <= window.toNanos();
	}

}
