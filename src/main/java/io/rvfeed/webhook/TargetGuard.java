package io.rvfeed.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Where webhooks may go: http(s) URLs only, and (unless
 * {@code rvfeed.webhook.allow-private-targets}) only to public addresses. The addresses
 * are checked when the URL is set and again just before each attempt connects: the check
 * resolves the host through the JVM's address cache, which the HTTP client's connect then
 * reads, so a name re-bound to an internal address after the endpoint was created is
 * refused (DNS rebinding).
 */
@Component
class TargetGuard {

	static final int MAX_URL_LENGTH = 2000;

	private final boolean allowPrivate;

	TargetGuard(WebhookProperties properties) {
		this.allowPrivate = properties.allowPrivateTargets();
	}

	/** Why the URL cannot be an endpoint's, or null if it can. */
	@Nullable String urlProblem(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return "is not a valid URL.";
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			return "must be an http or https URL.";
		}
		if (uri.getHost() == null || uri.getRawAuthority() == null) {
			return "must name a host.";
		}
		if (uri.getRawUserInfo() != null) {
			return "must not carry credentials (user:password@); put them in the path or query instead.";
		}
		if (uri.getRawFragment() != null) {
			return "must not have a fragment (#...).";
		}
		return addressProblem(uri.getHost());
	}

	/**
	 * Why an attempt must not connect to the host, or null if it may: every address it
	 * resolves to must be allowed.
	 */
	@Nullable String addressProblem(String host) {
		if (this.allowPrivate) {
			return null;
		}
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(bare);
		}
		catch (UnknownHostException ex) {
			return "names a host that does not resolve: " + bare + ".";
		}
		for (InetAddress address : addresses) {
			if (!isPublic(address)) {
				return "resolves to " + address.getHostAddress()
						+ ", a loopback, private, link-local, multicast or metadata address, which webhooks may not "
						+ "target (rvfeed.webhook.allow-private-targets).";
			}
		}
		return null;
	}

	static boolean isPublic(InetAddress address) {
		if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
				|| address.isMulticastAddress() || address.isAnyLocalAddress()) {
			return false;
		}
		byte[] b = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = b[0] & 0xff;
			int second = b[1] & 0xff;
			return first != 0 // "this" network
					&& !(first == 100 && second >= 64 && second <= 127) // carrier-grade
																		// NAT
					&& !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF
																			// protocol
																			// assignments
					&& !(first == 198 && (second == 18 || second == 19)) // benchmarking
					&& first < 240; // reserved and broadcast
		}
		if (address instanceof Inet6Address) {
			int first = b[0] & 0xff;
			if ((first & 0xfe) == 0xfc) {
				// unique local (fc00::/7), which holds the fd00:ec2::254 metadata address
				return false;
			}
			if (isMappedOrCompatible(b)) {
				try {
					return isPublic(InetAddress.getByAddress(new byte[] { b[12], b[13], b[14], b[15] }));
				}
				catch (UnknownHostException ex) {
					return false;
				}
			}
		}
		return true;
	}

	/** ::ffff:a.b.c.d and ::a.b.c.d carry an IPv4 address. */
	private static boolean isMappedOrCompatible(byte[] b) {
		for (int i = 0; i < 10; i++) {
			if (b[i] != 0) {
				return false;
			}
		}
		return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
	}

}
