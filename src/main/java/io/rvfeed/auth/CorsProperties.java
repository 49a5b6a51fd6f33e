package io.rvfeed.auth;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import io.rvfeed.db.ReadDatabase;
import io.rvfeed.ratelimit.RateLimitDecision;
import io.rvfeed.web.RequestHeaders;

/**
 * Which web pages in browsers may call the {@code /api/} endpoints. Closed by default: no
 * origin is allowed, and browsers refuse to show answers to other origins' pages.
 *
 * @param allowedOrigins origins such as {@code https://console.example.com}, or origin
 * patterns such as {@code https://*.example.com} ({@code RVFEED_CORS_ALLOWED_ORIGINS},
 * comma-separated; default none)
 * @param maxAge how long browsers may cache a preflight answer (default 30 minutes)
 */
@ConfigurationProperties("rvfeed.cors")
record CorsProperties(@Nullable List<String> allowedOrigins, @DefaultValue("30m") Duration maxAge) {

	CorsProperties {
		allowedOrigins = (allowedOrigins != null)
				? allowedOrigins.stream().map(String::trim).filter((origin) -> !origin.isEmpty()).toList() : List.of();
		if (maxAge.isNegative()) {
			throw new IllegalArgumentException("rvfeed.cors.max-age must not be negative, not " + maxAge);
		}
	}

	boolean open() {
		return !this.allowedOrigins.isEmpty();
	}

	UrlBasedCorsConfigurationSource configurationSource() {
		CorsConfiguration api = new CorsConfiguration();
		api.setAllowedOriginPatterns(this.allowedOrigins);
		api.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
		api.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, RequestHeaders.TENANT_ID,
				RequestHeaders.CALLER_ID, RequestHeaders.PRIVATE_URL, ReadDatabase.CONSISTENCY_TOKEN_HEADER));
		api.setExposedHeaders(List.of(RateLimitDecision.LIMIT, RateLimitDecision.REMAINING, RateLimitDecision.RESET,
				HttpHeaders.RETRY_AFTER, HttpHeaders.LINK, HttpHeaders.LOCATION,
				ReadDatabase.CONSISTENCY_TOKEN_HEADER));
		api.setAllowCredentials(false);
		api.setMaxAge(this.maxAge);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/api/**", api);
		return source;
	}

}
