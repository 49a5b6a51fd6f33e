package io.rvfeed.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Checks that text is what it claims to be, so that nothing is stored altered: a lenient
 * decoder turns bad bytes into U+FFFD or an overlong {@code C0 AF} into {@code /}, and
 * PostgreSQL's driver turns an unpaired surrogate into {@code ?}.
 */
public final class UnicodeText {

	private UnicodeText() {
	}

	/**
	 * The offset of the first byte that does not start well-formed UTF-8 (a stray or
	 * missing continuation byte, an overlong form, an encoded surrogate, a code point
	 * past U+10FFFF, a sequence cut off at the end), or -1 when all of it is well-formed.
	 */
	public static int invalidUtf8At(byte[] bytes, int from, int to) {
		int at = from;
		while (at < to && bytes[at] >= 0) {
			at++;
		}
		if (at == to) {
			return -1;
		}
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		ByteBuffer in = ByteBuffer.wrap(bytes, at, to - at);
		CharBuffer out = CharBuffer.allocate(Math.min(8192, to - at + 2));
		while (true) {
			CoderResult result = decoder.decode(in, out, true);
			if (result.isError()) {
				return in.position();
			}
			if (result.isOverflow()) {
				out.clear();
				continue;
			}
			return -1;
		}
	}

	/** The index of the first unpaired surrogate in the text, or -1 if there is none. */
	public static int unpairedSurrogateAt(CharSequence text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * A header value as the client meant it: the server hands over header bytes one char
	 * each (ISO-8859-1); read as UTF-8 they give the text. Null if those bytes are not
	 * well-formed UTF-8.
	 */
	public static @Nullable String headerText(String value) {
		byte[] bytes = new byte[value.length()];
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c > 0xFF) {
				// already decoded by someone else: keep it as it is
				return (unpairedSurrogateAt(value) < 0) ? value : null;
			}
			bytes[i] = (byte) c;
		}
		return (invalidUtf8At(bytes, 0, bytes.length) < 0) ? new String(bytes, StandardCharsets.UTF_8) : null;
	}

}
