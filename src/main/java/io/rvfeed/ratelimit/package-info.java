/**
 * Rate limits per API key: a token bucket each, in Redis when configured so that all
 * instances share one limit, in memory otherwise or while Redis is down. Exposes the
 * {@link io.rvfeed.ratelimit.RateLimiter} and its
 * {@link io.rvfeed.ratelimit.RateLimitDecision} and
 * {@link io.rvfeed.ratelimit.TooManyRequests} to {@code auth}, which counts each
 * authenticated request; {@link io.rvfeed.ratelimit.RateLimit} also to {@code admin}, for
 * a key's own limit. Uses {@code web}.
 */
@NullMarked
package io.rvfeed.ratelimit;

import org.jspecify.annotations.NullMarked;
