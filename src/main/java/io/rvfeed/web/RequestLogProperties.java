package io.rvfeed.web;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The request log and the client address it records.
 *
 * @param enabled one line per {@code /api/} and {@code /admin/} request (default true)
 * @param trustedProxies addresses or CIDR ranges of the reverse proxies in front of the
 * service, whose {@code X-Forwarded-For} names the client (default none: the client is
 * the connection's peer, and {@code X-Forwarded-For} is ignored)
 */
@ConfigurationProperties("rvfeed.request-log")
public record RequestLogProperties(@Nullable Boolean enabled, @Nullable List<String> trustedProxies) {

	public RequestLogProperties {
		enabled = (enabled == null) || enabled;
		trustedProxies = (trustedProxies == null) ? List.of()
				: trustedProxies.stream().map(String::trim).filter((proxy) -> !proxy.isEmpty()).toList();
	}

}
