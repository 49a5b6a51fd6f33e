package io.rvfeed.feed;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import io.rvfeed.web.InvalidRequest;
import io.rvfeed.web.RequestHeaders;

/**
 * The {@code next} and {@code previous} links: the request's own URL with {@code limit}
 * and {@code offset} replaced, every other parameter kept as the client wrote it. With
 * {@code X-SCAPI-Private-URL} the links start with that URL instead of this server's.
 */
final class PageLinks {

	static final int MAX_PRIVATE_URL_LENGTH = 2048;

	private final String base;

	private final List<String> keptParameters;

	private PageLinks(String base, List<String> keptParameters) {
		this.base = base;
		this.keptParameters = keptParameters;
	}

	static PageLinks of(HttpServletRequest request) {
		String privateUrl = privateUrl(request);
		String origin;
		if (privateUrl != null) {
			origin = privateUrl;
		}
		else {
			String url = request.getRequestURL().toString();
			origin = url.substring(0, url.length() - request.getRequestURI().length());
		}
		List<String> kept = new ArrayList<>();
		String query = request.getQueryString();
		if (query != null) {
			for (String pair : query.split("&")) {
				if (pair.isEmpty()) {
					continue;
				}
				String name = decode(pair.split("=", 2)[0]);
				if (!name.equals("limit") && !name.equals("offset")) {
					kept.add(pair);
				}
			}
		}
		return new PageLinks(origin + request.getRequestURI(), kept);
	}

	@Nullable String next(long count, long offset, int limit) {
		return (offset + limit >= count) ? null : link(limit, offset + limit);
	}

	@Nullable String previous(long offset, int limit) {
		return (offset == 0) ? null : link(limit, Math.max(0, offset - limit));
	}

	private String link(int limit, long offset) {
		List<String> parameters = new ArrayList<>(this.keptParameters);
		parameters.add("limit=" + limit);
		if (offset > 0) {
			parameters.add("offset=" + offset);
		}
		return this.base + "?" + String.join("&", parameters);
	}

	/** The validated {@code X-SCAPI-Private-URL} without its trailing slash, or null. */
	private static @Nullable String privateUrl(HttpServletRequest request) {
		String value = request.getHeader(RequestHeaders.PRIVATE_URL);
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		String problem = "Header 'X-SCAPI-Private-URL' must be an absolute http or https URL without query or fragment, such as https://api.example.com.";
		if (trimmed.length() > MAX_PRIVATE_URL_LENGTH) {
			throw new InvalidRequest(
					"Header 'X-SCAPI-Private-URL' must be at most " + MAX_PRIVATE_URL_LENGTH + " characters.");
		}
		try {
			URI uri = new URI(trimmed);
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawQuery() != null
					|| uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
				throw new InvalidRequest(problem);
			}
		}
		catch (URISyntaxException ex) {
			throw new InvalidRequest(problem);
		}
		return trimmed.replaceAll("/+$", "");
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

}
