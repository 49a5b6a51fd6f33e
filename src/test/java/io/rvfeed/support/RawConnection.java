package io.rvfeed.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

/**
 * One HTTP/1.1 connection on loopback driven byte by byte, for clients that a
 * well-behaved library will not imitate: slow ones, malformed ones, ones that send bytes
 * that are not UTF-8.
 */
public final class RawConnection implements AutoCloseable {

	private final Socket socket;

	private final ByteArrayOutputStream received = new ByteArrayOutputStream();

	private boolean closedByServer;

	private RawConnection(Socket socket) {
		this.socket = socket;
	}

	public static RawConnection open(int port) {
		try {
			Socket socket = new Socket("127.0.0.1", port);
			socket.setTcpNoDelay(true);
			return new RawConnection(socket);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot connect", ex);
		}
	}

	/** Sends text as ISO-8859-1: one byte per char, so any byte can be written. */
	public RawConnection send(String bytes) {
		return send(bytes.getBytes(StandardCharsets.ISO_8859_1));
	}

	public RawConnection send(byte[] bytes) {
		try {
			this.socket.getOutputStream().write(bytes);
			this.socket.getOutputStream().flush();
			return this;
		}
		catch (IOException ex) {
			throw new IllegalStateException("send failed", ex);
		}
	}

	/** Sends, and says whether the server still took the bytes. */
	public boolean trySend(String bytes) {
		try {
			send(bytes);
			return true;
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	/**
	 * Reads until the server has sent a whole answer (or closed the connection), at most
	 * {@code wait}; null if no complete answer came in that time.
	 */
	public Response awaitResponse(Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		try {
			InputStream in = this.socket.getInputStream();
			byte[] buffer = new byte[8192];
			while (true) {
				Response response = Response.parse(this.received.toByteArray(), this.closedByServer);
				if (response != null) {
					return response;
				}
				if (this.closedByServer) {
					return null;
				}
				long left = (deadline - System.nanoTime()) / 1_000_000;
				if (left <= 0) {
					return null;
				}
				this.socket.setSoTimeout((int) Math.max(1, left));
				try {
					int read = in.read(buffer);
					if (read < 0) {
						this.closedByServer = true;
					}
					else {
						this.received.write(buffer, 0, read);
					}
				}
				catch (SocketTimeoutException ex) {
					// checked against the deadline above
				}
			}
		}
		catch (IOException ex) {
			// reset by the server: whatever arrived before counts
			this.closedByServer = true;
			return Response.parse(this.received.toByteArray(), true);
		}
	}

	/** Forgets what was received so far, to read the next answer on this connection. */
	public void clear() {
		this.received.reset();
	}

	/**
	 * Whether the server closes the connection within {@code wait} (after its answer).
	 */
	public boolean awaitClose(Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		try {
			InputStream in = this.socket.getInputStream();
			byte[] buffer = new byte[8192];
			while (!this.closedByServer) {
				long left = (deadline - System.nanoTime()) / 1_000_000;
				if (left <= 0) {
					return false;
				}
				this.socket.setSoTimeout((int) Math.max(1, left));
				try {
					int read = in.read(buffer);
					if (read < 0) {
						this.closedByServer = true;
					}
					else {
						this.received.write(buffer, 0, read);
					}
				}
				catch (SocketTimeoutException ex) {
					// checked against the deadline above
				}
			}
			return true;
		}
		catch (IOException ex) {
			this.closedByServer = true;
			return true;
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/** An answer as received: status line, headers, body (de-chunked). */
	public record Response(int status, String head, String body) {

		public String header(String name) {
			for (String line : this.head.split("\r\n")) {
				int colon = line.indexOf(':');
				if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
					return line.substring(colon + 1).trim();
				}
			}
			return null;
		}

		public JsonNode json() {
			return HttpApi.json(this.body);
		}

		static Response parse(byte[] bytes, boolean closed) {
			String text = new String(bytes, StandardCharsets.UTF_8);
			int headEnd = text.indexOf("\r\n\r\n");
			if (headEnd < 0) {
				return null;
			}
			String head = text.substring(0, headEnd);
			String rest = text.substring(headEnd + 4);
			int status = Integer.parseInt(head.split(" ")[1]);
			String lower = head.toLowerCase(Locale.ROOT);
			if (lower.contains("transfer-encoding: chunked")) {
				String body = dechunk(rest);
				return (body != null) ? new Response(status, head, body)
						: (closed ? new Response(status, head, rest) : null);
			}
			int at = lower.indexOf("content-length:");
			if (at >= 0) {
				int length = Integer.parseInt(lower
					.substring(at + 15, lower.indexOf("\r\n", at) < 0 ? lower.length() : lower.indexOf("\r\n", at))
					.trim());
				byte[] body = bytes;
				int bodyStart = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
				if (body.length - bodyStart >= length) {
					return new Response(status, head, new String(bytes, bodyStart, length, StandardCharsets.UTF_8));
				}
				return closed ? new Response(status, head, rest) : null;
			}
			return closed ? new Response(status, head, rest) : null;
		}

		/** The body of a chunked answer, or null while it is incomplete. */
		private static String dechunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (true) {
				int lineEnd = chunked.indexOf("\r\n", at);
				if (lineEnd < 0) {
					return null;
				}
				int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
				if (size == 0) {
					return body.toString();
				}
				byte[] rest = chunked.substring(lineEnd + 2).getBytes(StandardCharsets.UTF_8);
				if (rest.length < size + 2) {
					return null;
				}
				String chunk = new String(rest, 0, size, StandardCharsets.UTF_8);
				body.append(chunk);
				at = lineEnd + 2 + chunk.length() + 2;
			}
		}

	}

}
