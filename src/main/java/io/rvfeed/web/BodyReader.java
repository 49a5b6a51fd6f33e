package io.rvfeed.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

/**
 * Receives one request body with non-blocking reads: the container calls back as bytes
 * arrive, so no thread waits for a slow client. Ends exactly once: with the whole body
 * (dispatched to the application), 413 past the size limit, 408 at the deadline, or the
 * container's own answer when the body is malformed or the client goes away.
 */
final class BodyReader implements ReadListener, AsyncListener {

	/** Marks a request whose body could not be received; the container answers it. */
	record Failed() {
	}

	private final AsyncContext async;

	private final HttpServletRequest request;

	private final HttpServletResponse response;

	private final long maxSize;

	private final long timeoutMillis;

	private final ApiErrorWriter errors;

	private final Runnable finish;

	private final AtomicBoolean ended = new AtomicBoolean();

	private final ByteArrayOutputStream body;

	private final byte[] chunk = new byte[8192];

	private ServletInputStream in;

	/** Reads the rest of a body of which {@code body} holds the part read already. */
	BodyReader(AsyncContext async, HttpServletRequest request, HttpServletResponse response, ByteArrayOutputStream body,
			RequestLimitsProperties limits, ApiErrorWriter errors, Runnable finish) {
		this.async = async;
		this.body = body;
		this.request = request;
		this.response = response;
		this.maxSize = limits.maxBodySize().toBytes();
		this.timeoutMillis = limits.bodyTimeout().toMillis();
		this.errors = errors;
		this.finish = finish;
	}

	void start() throws IOException {
		this.async.setTimeout(this.timeoutMillis);
		this.async.addListener(this);
		this.in = this.request.getInputStream();
		this.in.setReadListener(this);
	}

	@Override
	public void onDataAvailable() throws IOException {
		if (this.ended.get()) {
			return;
		}
		try {
			while (this.in.isReady()) {
				int read = this.in.read(this.chunk);
				if (read < 0) {
					return;
				}
				if (this.body.size() + read > this.maxSize) {
					refuse(413, "The request body is too large: at most " + this.maxSize + " bytes are accepted.");
					return;
				}
				this.body.write(this.chunk, 0, read);
			}
		}
		catch (IOException ex) {
			// malformed chunked encoding or the client gone: the container has set the
			// answer already (400, or 408 for an idle connection)
			failed();
		}
	}

	@Override
	public void onAllDataRead() {
		if (end()) {
			this.request.setAttribute(RequestBodyFilter.BODY_ATTRIBUTE, this.body.toByteArray());
			this.async.dispatch();
		}
	}

	@Override
	public void onError(Throwable failure) {
		failed();
	}

	@Override
	public void onTimeout(AsyncEvent event) throws IOException {
		refuse(408, "The request body did not arrive in time: the whole body must arrive within "
				+ (this.timeoutMillis / 1000.0) + " s.");
	}

	@Override
	public void onError(AsyncEvent event) {
		failed();
	}

	@Override
	public void onComplete(AsyncEvent event) {
		end();
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	private void refuse(int status, String message) throws IOException {
		if (end()) {
			this.response.setHeader(HttpHeaders.CONNECTION, "close");
			try {
				this.errors.write(this.response, ApiError.of(status, message));
			}
			finally {
				this.async.complete();
			}
		}
	}

	private void failed() {
		if (end()) {
			// dispatched so that the container's error handling writes the standard body
			this.request.setAttribute(RequestBodyFilter.BODY_ATTRIBUTE, new Failed());
			this.async.dispatch();
		}
	}

	/** True for the one caller that ends the read; frees its place. */
	private boolean end() {
		if (this.ended.compareAndSet(false, true)) {
			this.finish.run();
			return true;
		}
		return false;
	}

}
