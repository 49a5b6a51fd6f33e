package io.rvfeed.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Set;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

/**
 * Receives request bodies after authentication, without holding a thread while they
 * arrive. The body of an authenticated write (POST, PUT, PATCH, DELETE) is read with
 * non-blocking I/O into memory, within {@code rvfeed.limits.max-body-size}, a deadline
 * for the whole body ({@code body-timeout}, not a timeout per read that each byte
 * restarts) and limits on how many bodies are being received at once in all, per tenant
 * and per key; then the request is dispatched again, with the body in hand, to the
 * application. (A body that has all arrived with the headers, as most small ones do, is
 * taken at once, without that second dispatch.) Any other request's body (an anonymous
 * caller's, a GET's) is never read: the application sees an empty body and
 * {@link UnreadBodyValve} closes the connection after the answer instead of draining it.
 */
class RequestBodyFilter implements Filter {

	static final String BODY_ATTRIBUTE = RequestBodyFilter.class.getName() + ".body";

	/** Marks a request whose body has been received in full on its first dispatch. */
	static final String RECEIVED_ATTRIBUTE = RequestBodyFilter.class.getName() + ".received";

	private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

	private final RequestLimitsProperties limits;

	private final BodyReads reads;

	private final ApiErrorWriter errors;

	RequestBodyFilter(RequestLimitsProperties limits, BodyReads reads, ApiErrorWriter errors) {
		this.limits = limits;
		this.reads = reads;
		this.errors = errors;
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = (HttpServletRequest) servletRequest;
		HttpServletResponse response = (HttpServletResponse) servletResponse;
		if (request.getDispatcherType() == DispatcherType.ASYNC) {
			Object body = request.getAttribute(BODY_ATTRIBUTE);
			if (body instanceof byte[] bytes) {
				request.removeAttribute(BODY_ATTRIBUTE);
				chain.doFilter(BufferedBodyRequest.of(request, bytes), response);
			}
			else if (!(body instanceof BodyReader.Failed)) {
				chain.doFilter(request, response);
			}
			return;
		}
		if (!hasBody(request)) {
			chain.doFilter(request, response);
			return;
		}
		RequestBodies.Caller caller = RequestBodies.caller(request);
		if (caller == null || !WRITE_METHODS.contains(request.getMethod())) {
			ignoreBody(request, response);
			chain.doFilter(BufferedBodyRequest.withoutBody(request), response);
			return;
		}
		String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
		if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
			ignoreBody(request, response);
			this.errors.write(response, ApiError.of(415,
					"Content-Encoding is not supported: send the request body uncompressed, without that header."));
			return;
		}
		BodyReads.Refusal refusal = this.reads.tryStart(caller);
		if (refusal != null) {
			ignoreBody(request, response);
			response.setHeader(HttpHeaders.RETRY_AFTER, "1");
			this.errors.write(response, switch (refusal) {
				case KEY ->
					ApiError.of(429, "Too many request bodies are being received at once for this API key (at most "
							+ this.limits.maxBodyReadsPerKey() + "). Wait for one to finish and try again.");
				case TENANT ->
					ApiError.of(429, "Too many request bodies are being received at once for this tenant (at most "
							+ this.limits.maxBodyReadsPerTenant() + "). Wait for one to finish and try again.");
				case SERVICE -> ApiError.of(503,
						"The service is receiving too many request bodies at once. Wait a moment and try again.");
			});
			return;
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		boolean arrived;
		try {
			arrived = readArrived(request, body);
		}
		catch (IOException | RuntimeException ex) {
			this.reads.finish(caller);
			throw ex;
		}
		if (arrived) {
			this.reads.finish(caller);
			request.setAttribute(RECEIVED_ATTRIBUTE, Boolean.TRUE);
			chain.doFilter(BufferedBodyRequest.of(request, body.toByteArray()), response);
			return;
		}
		AsyncContext async;
		try {
			async = request.startAsync();
		}
		catch (RuntimeException ex) {
			this.reads.finish(caller);
			throw ex;
		}
		BodyReader reader = new BodyReader(async, request, response, body, this.limits, this.errors,
				() -> this.reads.finish(caller));
		reader.start();
	}

	/**
	 * Reads the part of a body of known length that has arrived with the headers, without
	 * blocking (only bytes the server holds already); true if that is all of it, as for
	 * most small bodies, which then need no second dispatch. A chunked body is left to
	 * non-blocking reads: its framing could make a read wait.
	 */
	private static boolean readArrived(HttpServletRequest request, ByteArrayOutputStream body) throws IOException {
		if (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
			return false;
		}
		ServletInputStream in = request.getInputStream();
		byte[] chunk = new byte[8192];
		while (in.available() > 0) {
			int read = in.read(chunk);
			if (read < 0) {
				break;
			}
			body.write(chunk, 0, read);
		}
		return in.isFinished();
	}

	static boolean hasBody(HttpServletRequest request) {
		return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
	}

	/**
	 * Claims the body's stream, unread, so that the container never reads it either (to
	 * parse form parameters), and tells the client that the connection closes.
	 */
	private static void ignoreBody(HttpServletRequest request, HttpServletResponse response) throws IOException {
		request.getInputStream();
		response.setHeader(HttpHeaders.CONNECTION, "close");
	}

}
