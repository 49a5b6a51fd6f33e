package io.rvfeed.auth;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param token bearer token that Prometheus sends to {@code /actuator/prometheus}
 * ({@code RVFEED_METRICS_TOKEN}); unset means the endpoint refuses every request
 */
@ConfigurationProperties("rvfeed.metrics")
record MetricsProperties(@Nullable String token) {
}
