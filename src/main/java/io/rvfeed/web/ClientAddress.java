package io.rvfeed.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The client's address: the connection's peer, or, when that peer is one of the trusted
 * proxies, the last address in {@code X-Forwarded-For} that is not a trusted proxy. A
 * client cannot make up its address unless it connects through a trusted proxy, which
 * appends the address it saw.
 */
final class ClientAddress {

	static final String FORWARDED_FOR = "X-Forwarded-For";

	private static final Pattern IPV4 = Pattern
		.compile("^(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}$");

	private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:.]{2,45}$");

	private final List<IpAddressMatcher> trusted;

	ClientAddress(List<String> trustedProxies) {
		List<IpAddressMatcher> matchers = new ArrayList<>();
		for (String proxy : trustedProxies) {
			if (!isAddress(proxy.replaceFirst("/\\d{1,3}$", ""))) {
				throw new IllegalArgumentException("rvfeed.request-log.trusted-proxies (RVFEED_TRUSTED_PROXIES): '"
						+ proxy + "' is not an IP address or CIDR range.");
			}
			matchers.add(new IpAddressMatcher(proxy));
		}
		this.trusted = List.copyOf(matchers);
	}

	String of(HttpServletRequest request) {
		String peer = request.getRemoteAddr();
		if (this.trusted.isEmpty() || !isTrusted(peer)) {
			return peer;
		}
		List<String> hops = new ArrayList<>();
		for (String header : Collections.list(request.getHeaders(FORWARDED_FOR))) {
			for (String hop : header.split(",")) {
				hops.add(hop.trim());
			}
		}
		String client = peer;
		for (int i = hops.size() - 1; i >= 0; i--) {
			String hop = hops.get(i);
			if (!isAddress(hop)) {
				// what the trusted proxy passed on is not an address: keep that proxy's
				return client;
			}
			client = hop;
			if (!isTrusted(hop)) {
				return hop;
			}
		}
		return client;
	}

	private boolean isTrusted(String address) {
		if (!isAddress(address)) {
			return false;
		}
		try {
			return this.trusted.stream().anyMatch((matcher) -> matcher.matches(address));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	static boolean isAddress(String value) {
		return IPV4.matcher(value).matches() || (value.contains(":") && IPV6.matcher(value).matches());
	}

}
