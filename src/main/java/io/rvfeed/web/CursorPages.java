package io.rvfeed.web;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The request side of a feed read by cursor: its {@code limit}, {@code cursor} and
 * {@code since} parameters, and the {@code Link: <...>; rel="next"} of its answer (the
 * request's own URL with the cursor replaced, every other parameter kept as written).
 */
public final class CursorPages {

	public static final int DEFAULT_LIMIT = 100;

	public static final int MAX_LIMIT = 1000;

	/**
	 * The parameters of paging by cursor, which the feed's filter parser must not see.
	 */
	public static final Set<String> PARAMETERS = Set.of("limit", "cursor", "since");

	private CursorPages() {
	}

	/** The non-empty value of a single-valued parameter, or null; problems are added. */
	public static @Nullable String single(Map<String, String[]> parameters, String name, List<String> problems) {
		String[] given = parameters.get(name);
		if (given == null) {
			return null;
		}
		List<String> values = Arrays.stream(given).filter((value) -> !value.isEmpty()).toList();
		if (values.size() > 1) {
			problems.add("Parameter '" + name + "' may be given only once.");
			return null;
		}
		return values.isEmpty() ? null : values.get(0);
	}

	/**
	 * {@code limit}: absent or 0 means {@value #DEFAULT_LIMIT}, above {@value #MAX_LIMIT}
	 * means {@value #MAX_LIMIT}, anything but a non-negative integer is a problem.
	 */
	public static int limit(Map<String, String[]> parameters, List<String> problems) {
		String value = single(parameters, "limit", problems);
		if (value == null) {
			return DEFAULT_LIMIT;
		}
		String digits = value.strip();
		if (!digits.matches("\\+?\\d+")) {
			problems.add("Parameter 'limit' must be a non-negative integer.");
			return DEFAULT_LIMIT;
		}
		digits = digits.replaceFirst("^\\+", "").replaceFirst("^0+(?=\\d)", "");
		if (digits.length() > 9) {
			return MAX_LIMIT;
		}
		int limit = Integer.parseInt(digits);
		return (limit == 0) ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
	}

	/** Parameters of offset paging, which a cursor feed refuses rather than ignores. */
	public static void refuse(Map<String, String[]> parameters, List<String> problems, String... names) {
		for (String name : names) {
			String[] given = parameters.get(name);
			if (given != null && Arrays.stream(given).anyMatch((value) -> !value.isEmpty())) {
				problems.add("Parameter '" + name + "' does not apply here: this feed is read in commit order by "
						+ "cursor (follow next_cursor).");
			}
		}
	}

	/** The parameters without those of paging by cursor and the given others. */
	public static Map<String, String[]> filters(Map<String, String[]> parameters, String... alsoLeftOut) {
		Map<String, String[]> filters = new java.util.HashMap<>(parameters);
		PARAMETERS.forEach(filters::remove);
		Arrays.stream(alsoLeftOut).forEach(filters::remove);
		return filters;
	}

	/** The URL of the next page: this request's, with {@code cursor} in place. */
	public static String nextLink(HttpServletRequest request, String cursor) {
		List<String> kept = new ArrayList<>();
		String query = request.getQueryString();
		if (query != null) {
			for (String pair : query.split("&")) {
				String name = decode(pair.split("=", 2)[0]);
				if (!pair.isEmpty() && !name.equals("cursor") && !name.equals("since")) {
					kept.add(pair);
				}
			}
		}
		kept.add("cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
		return request.getRequestURL() + "?" + String.join("&", kept);
	}

	/** The {@code Link} header value for the next page. */
	public static String linkHeader(HttpServletRequest request, String cursor) {
		return "<" + nextLink(request, cursor) + ">; rel=\"next\"";
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
