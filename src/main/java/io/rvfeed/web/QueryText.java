package io.rvfeed.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Says which parameters of a query string the server could not decode, and why, for the
 * 400 that names them.
 */
final class QueryText {

	private QueryText() {
	}

	static List<String> problems(@Nullable String rawQuery) {
		List<String> problems = new ArrayList<>();
		if (rawQuery == null) {
			return problems;
		}
		for (String pair : rawQuery.split("&")) {
			int equals = pair.indexOf('=');
			byte[] name = decode((equals >= 0) ? pair.substring(0, equals) : pair);
			byte[] value = (equals >= 0) ? decode(pair.substring(equals + 1)) : new byte[0];
			String shownName = (name != null && UnicodeText.invalidUtf8At(name, 0, name.length) < 0)
					? "'" + new String(name, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?") + "'" : null;
			if (shownName == null) {
				problems.add("A parameter name " + why(name) + ".");
			}
			else if (value == null || UnicodeText.invalidUtf8At(value, 0, value.length) >= 0) {
				problems.add("Parameter " + shownName + " " + why(value) + ".");
			}
		}
		return problems;
	}

	private static String why(byte @Nullable [] decoded) {
		if (decoded == null) {
			return "has a '%' that is not followed by two hexadecimal digits";
		}
		return "is not valid UTF-8: it has an invalid, overlong or surrogate byte sequence at byte "
				+ UnicodeText.invalidUtf8At(decoded, 0, decoded.length) + " of its percent-decoded text";
	}

	/** The bytes a percent-encoded text stands for, or null if it is not well encoded. */
	private static byte @Nullable [] decode(String text) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%') {
				if (i + 2 >= text.length() || !HexFormat.isHexDigit(text.charAt(i + 1))
						|| !HexFormat.isHexDigit(text.charAt(i + 2))) {
					return null;
				}
				bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
				i += 2;
			}
			else if (c == '+') {
				bytes.write(' ');
			}
			else {
				byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
				bytes.write(raw, 0, raw.length);
			}
		}
		return bytes.toByteArray();
	}

}
