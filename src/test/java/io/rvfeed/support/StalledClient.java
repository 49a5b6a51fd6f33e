package io.rvfeed.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A hostile client on a raw loopback socket: it sends a GET and then reads nothing (at
 * most the status line), with a tiny receive buffer so that the server's send buffer
 * fills after a few kilobytes.
 */
public final class StalledClient implements AutoCloseable {

	private final Socket socket;

	public StalledClient(int port, String pathAndQuery, String key) throws IOException {
		this.socket = new Socket();
		this.socket.setReceiveBufferSize(1024);
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
				+ "\r\n\r\n";
		this.socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
		this.socket.getOutputStream().flush();
	}

	/** Reads just the status line and answers its status code. */
	public int status(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) timeout.toMillis());
		InputStream in = this.socket.getInputStream();
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			line.write(b);
		}
		String text = line.toString(StandardCharsets.US_ASCII);
		return Integer.parseInt(text.split(" ")[1]);
	}

	/**
	 * Reads everything the server still sends: true if the server ended the connection
	 * within the time (end of stream or reset), false if it was still open.
	 */
	public boolean closedByServerWithin(Duration timeout) throws IOException {
		long end = System.nanoTime() + timeout.toNanos();
		byte[] buffer = new byte[64 * 1024];
		InputStream in = this.socket.getInputStream();
		while (System.nanoTime() < end) {
			this.socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(end - System.nanoTime()).toMillis()));
			try {
				if (in.read(buffer) == -1) {
					return true;
				}
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			catch (SocketException ex) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Reads the rest of the response until the server ends the connection (or the time is
	 * up) and answers its last bytes, up to 16.
	 */
	public String readToEnd(Duration timeout) throws IOException {
		long end = System.nanoTime() + timeout.toNanos();
		byte[] buffer = new byte[64 * 1024];
		byte[] tail = new byte[0];
		InputStream in = this.socket.getInputStream();
		while (System.nanoTime() < end) {
			this.socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(end - System.nanoTime()).toMillis()));
			int n;
			try {
				n = in.read(buffer);
			}
			catch (SocketTimeoutException ex) {
				throw new IllegalStateException("the server did not end the response in time");
			}
			catch (SocketException ex) {
				break;
			}
			if (n == -1) {
				break;
			}
			byte[] joined = new byte[Math.min(16, tail.length + n)];
			int fromTail = Math.max(0, joined.length - n);
			System.arraycopy(tail, tail.length - fromTail, joined, 0, fromTail);
			System.arraycopy(buffer, n - (joined.length - fromTail), joined, fromTail, joined.length - fromTail);
			tail = joined;
		}
		return new String(tail, StandardCharsets.ISO_8859_1);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
