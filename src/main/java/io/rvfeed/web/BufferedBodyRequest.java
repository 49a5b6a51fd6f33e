package io.rvfeed.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * A request whose body has been received in full by {@link RequestBodyFilter} (or that
 * may not have one read: then it reads as empty). A JSON body must be well-formed UTF-8;
 * one that is not is refused when the application first reads it, with the field it is
 * in, so that it is never parsed leniently and stored altered.
 */
final class BufferedBodyRequest extends HttpServletRequestWrapper {

	private static final byte[] NONE = new byte[0];

	private final byte[] body;

	private BufferedBodyRequest(HttpServletRequest request, byte[] body) {
		super(request);
		this.body = body;
	}

	static BufferedBodyRequest of(HttpServletRequest request, byte[] body) {
		return new BufferedBodyRequest(request, body);
	}

	/** The request with its body never read: the application sees none. */
	static BufferedBodyRequest withoutBody(HttpServletRequest request) {
		return new BufferedBodyRequest(request, NONE);
	}

	@Override
	public int getContentLength() {
		return this.body.length;
	}

	@Override
	public long getContentLengthLong() {
		return this.body.length;
	}

	@Override
	public ServletInputStream getInputStream() {
		checkText();
		ByteArrayInputStream in = new ByteArrayInputStream(this.body);
		return new ServletInputStream() {

			@Override
			public int read() {
				return in.read();
			}

			@Override
			public int read(byte[] buffer, int offset, int length) {
				return in.read(buffer, offset, length);
			}

			@Override
			public byte[] readAllBytes() {
				return in.readAllBytes();
			}

			@Override
			public boolean isFinished() {
				return in.available() == 0;
			}

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public void setReadListener(ReadListener listener) {
				throw new IllegalStateException("the body has been read already");
			}

		};
	}

	@Override
	public BufferedReader getReader() {
		checkText();
		String encoding = getCharacterEncoding();
		Charset charset = (encoding != null && Charset.isSupported(encoding)) ? Charset.forName(encoding)
				: StandardCharsets.UTF_8;
		return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(this.body), charset));
	}

	private void checkText() {
		if (!isJson(getContentType())) {
			return;
		}
		int invalid = UnicodeText.invalidUtf8At(this.body, 0, this.body.length);
		if (invalid >= 0) {
			throw new InvalidRequest(JsonBody.notUtf8("The request body", this.body, 0, invalid));
		}
	}

	/** JSON, as the write API also takes a body without a Content-Type. */
	private static boolean isJson(@Nullable String contentType) {
		if (contentType == null) {
			return true;
		}
		int semicolon = contentType.indexOf(';');
		String type = ((semicolon >= 0) ? contentType.substring(0, semicolon) : contentType).trim()
			.toLowerCase(Locale.ROOT);
		return type.isEmpty() || type.equals("application/json") || type.endsWith("+json");
	}

}
