package io.rvfeed.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads CEF lines back, field by field, for tests. */
public final class Cef {

	private Cef() {
	}

	/** The seven header fields, unescaped: split at pipes not escaped by a backslash. */
	public static List<String> header(String line) {
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		int i = 0;
		while (fields.size() < 7) {
			char c = line.charAt(i++);
			if (c == '\\') {
				field.append(line.charAt(i++));
			}
			else if (c == '|') {
				fields.add(field.toString());
				field.setLength(0);
			}
			else {
				field.append(c);
			}
		}
		return fields;
	}

	/**
	 * The extensions, unescaped, in order: a key starts after a space and ends at '='.
	 */
	public static Map<String, String> extensions(String line) {
		int start = 0;
		for (int pipes = 0; pipes < 7; start++) {
			if (line.charAt(start) == '\\') {
				start++;
			}
			else if (line.charAt(start) == '|') {
				pipes++;
			}
		}
		String text = line.substring(start);
		Map<String, String> values = new LinkedHashMap<>();
		java.util.regex.Matcher key = java.util.regex.Pattern.compile("(?:^| )([A-Za-z0-9]+)=").matcher(text);
		List<int[]> keys = new ArrayList<>();
		List<String> names = new ArrayList<>();
		while (key.find()) {
			// an escaped '=' is preceded by a backslash, so "\=" never ends a key
			keys.add(new int[] { key.start(), key.end() });
			names.add(key.group(1));
		}
		for (int k = 0; k < keys.size(); k++) {
			int end = (k + 1 < keys.size()) ? keys.get(k + 1)[0] : text.length();
			values.put(names.get(k), unescape(text.substring(keys.get(k)[1], end)));
		}
		return values;
	}

	private static String unescape(String value) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\\' && i + 1 < value.length()) {
				char next = value.charAt(++i);
				out.append((next == 'n') ? '\n' : (next == 'r') ? '\r' : next);
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

}
