package io.rvfeed.ratelimit;

/**
 * A token bucket: {@code burst} requests at once, refilled at {@code requestsPerSecond}.
 *
 * @param requestsPerSecond the sustained rate, at least 1
 * @param burst how many requests may come at once (the bucket's capacity), at least 1
 */
public record RateLimit(int requestsPerSecond, int burst) {

	public static final int MAX = 1_000_000_000;

	public RateLimit {
		if (requestsPerSecond < 1 || requestsPerSecond > MAX) {
			throw new IllegalArgumentException("requests per second must be between 1 and " + MAX);
		}
		if (burst < 1 || burst > MAX) {
			throw new IllegalArgumentException("burst must be between 1 and " + MAX);
		}
	}

}
