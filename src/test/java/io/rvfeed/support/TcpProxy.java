package io.rvfeed.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback between the service and PostgreSQL, to play outages: it
 * forwards, refuses (every connection reset, new ones too), blackholes (connections stay
 * open, nothing gets through either way, until it forwards again), or cuts the one
 * connection whose transaction carries a marker when it commits.
 */
public final class TcpProxy implements AutoCloseable {

	private enum Mode {

		FORWARD, REFUSE, BLACKHOLE

	}

	private final InetSocketAddress target;

	private final ServerSocket server;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final Object lock = new Object();

	private Mode mode = Mode.FORWARD;

	private CommitCut commitCut;

	public TcpProxy(String targetHost, int targetPort) throws IOException {
		this.target = new InetSocketAddress(targetHost, targetPort);
		this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "tcp-proxy-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * {@code jdbcUrl} with its host and port replaced by this proxy's, without TLS so the
	 * proxy can see the protocol.
	 */
	public String proxiedJdbcUrl(String jdbcUrl) {
		String url = jdbcUrl.replaceFirst("//[^/]+/", "//127.0.0.1:" + port() + "/");
		return url + (url.contains("?") ? "&" : "?") + "sslmode=disable";
	}

	public void forward() {
		setMode(Mode.FORWARD);
	}

	/** Resets every connection and every new one, as a server that went down. */
	public void refuse() {
		setMode(Mode.REFUSE);
		this.links.forEach(Link::reset);
	}

	/** Lets nothing through, either way, as a network that drops packets. */
	public void blackhole() {
		setMode(Mode.BLACKHOLE);
	}

	/**
	 * Cuts the next connection that commits a transaction in which {@code marker} was
	 * sent: the COMMIT is delivered to PostgreSQL first (so it commits, but its answer is
	 * lost) or not at all (so it rolls back).
	 */
	public void cutAtCommit(String marker, boolean deliverCommit) {
		synchronized (this.lock) {
			this.commitCut = new CommitCut(marker, deliverCommit);
		}
	}

	/** Whether the cut asked for has happened. */
	public boolean commitCutDone() {
		synchronized (this.lock) {
			return this.commitCut == null;
		}
	}

	private void setMode(Mode mode) {
		synchronized (this.lock) {
			this.mode = mode;
			this.lock.notifyAll();
		}
	}

	private Mode mode() {
		synchronized (this.lock) {
			return this.mode;
		}
	}

	private void accept() {
		while (!this.server.isClosed()) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			if (mode() == Mode.REFUSE) {
				resetQuietly(client);
				continue;
			}
			Socket upstream = new Socket();
			try {
				upstream.connect(this.target, 2000);
			}
			catch (IOException ex) {
				resetQuietly(client);
				resetQuietly(upstream);
				continue;
			}
			Link link = new Link(client, upstream);
			this.links.add(link);
			link.start();
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		setMode(Mode.REFUSE);
		this.links.forEach(Link::reset);
	}

	private static void resetQuietly(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
			socket.close();
		}
		catch (IOException ex) {
			// closed already
		}
	}

	private record CommitCut(String marker, boolean deliverCommit) {
	}

	/** One proxied connection: a pump each way. */
	private final class Link {

		private final Socket client;

		private final Socket upstream;

		/** Whether the client's open transaction has sent the commit-cut marker. */
		/**
		 * The cut whose marker this link carried: a link marked for an earlier cut (that
		 * fired on another link) must not take a later one at its next COMMIT of
		 * anything.
		 */
		private CommitCut markedFor;

		private String tail = "";

		/** Set before a COMMIT whose answer the client must not get is sent upstream. */
		private volatile boolean dropAnswers;

		private final ClientMessages messages = new ClientMessages();

		Link(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
		}

		void start() {
			Thread up = new Thread(() -> pump(this.client, this.upstream, true), "tcp-proxy-up");
			Thread down = new Thread(() -> pump(this.upstream, this.client, false), "tcp-proxy-down");
			up.setDaemon(true);
			down.setDaemon(true);
			up.start();
			down.start();
		}

		private void pump(Socket from, Socket to, boolean towardsServer) {
			byte[] buffer = new byte[16384];
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					if (!awaitForwarding()) {
						reset();
						return;
					}
					if (towardsServer && cutHere(buffer, read)) {
						return;
					}
					if (!towardsServer && this.dropAnswers) {
						// the answer to the cut COMMIT could otherwise win the race with
						// the reset of the client's socket
						return;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side went away
			}
			finally {
				close();
			}
		}

		/** Waits while blackholed; false when the connection is to be reset. */
		private boolean awaitForwarding() {
			synchronized (TcpProxy.this.lock) {
				while (TcpProxy.this.mode == Mode.BLACKHOLE) {
					try {
						TcpProxy.this.lock.wait();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return false;
					}
				}
				return TcpProxy.this.mode == Mode.FORWARD;
			}
		}

		/** Cuts the connection when this chunk commits a marked transaction. */
		private boolean cutHere(byte[] buffer, int length) throws IOException {
			boolean commits = this.messages.read(buffer, length);
			CommitCut cut;
			synchronized (TcpProxy.this.lock) {
				cut = TcpProxy.this.commitCut;
			}
			if (cut == null) {
				return false;
			}
			String text = this.tail + new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
			this.tail = text.substring(Math.max(0, text.length() - cut.marker().length()));
			if (text.contains(cut.marker())) {
				this.markedFor = cut;
			}
			if (this.markedFor != cut || !commits) {
				return false;
			}
			synchronized (TcpProxy.this.lock) {
				if (TcpProxy.this.commitCut != cut) {
					return false;
				}
				TcpProxy.this.commitCut = null;
			}
			if (cut.deliverCommit()) {
				this.dropAnswers = true;
				this.upstream.getOutputStream().write(buffer, 0, length);
				this.upstream.getOutputStream().flush();
				// the client loses the answer; PostgreSQL reads the COMMIT before the
				// end of the connection
				resetQuietly(this.client);
			}
			else {
				reset();
			}
			return true;
		}

		void reset() {
			resetQuietly(this.client);
			resetQuietly(this.upstream);
			TcpProxy.this.links.remove(this);
		}

		private void close() {
			try {
				this.client.close();
				this.upstream.close();
			}
			catch (IOException ex) {
				// closed already
			}
			TcpProxy.this.links.remove(this);
		}

	}

	/**
	 * The client's side of PostgreSQL's wire protocol, read just far enough to see a
	 * COMMIT, which the driver sends as a query, or once prepared, as a Bind of the
	 * statement it parsed earlier.
	 */
	private static final class ClientMessages {

		private static final int SSL_REQUEST = 80877103;

		private static final int GSS_REQUEST = 80877104;

		private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

		private final java.util.Map<String, String> statements = new java.util.HashMap<>();

		private boolean startup = true;

		/** Takes the next bytes; answers whether they hold a COMMIT. */
		boolean read(byte[] buffer, int length) {
			this.pending.write(buffer, 0, length);
			java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(this.pending.toByteArray());
			boolean commit = false;
			while (true) {
				bytes.mark();
				if (this.startup) {
					if (bytes.remaining() < 8) {
						break;
					}
					int size = bytes.getInt();
					int code = bytes.getInt();
					if (bytes.remaining() < size - 8) {
						bytes.reset();
						break;
					}
					bytes.position(bytes.position() + size - 8);
					this.startup = code == SSL_REQUEST || code == GSS_REQUEST;
					continue;
				}
				if (bytes.remaining() < 5) {
					break;
				}
				byte type = bytes.get();
				int size = bytes.getInt();
				if (bytes.remaining() < size - 4) {
					bytes.reset();
					break;
				}
				byte[] body = new byte[size - 4];
				bytes.get(body);
				commit |= commits(type, body);
			}
			byte[] rest = new byte[bytes.remaining()];
			bytes.get(rest);
			this.pending.reset();
			this.pending.write(rest, 0, rest.length);
			return commit;
		}

		private boolean commits(byte type, byte[] body) {
			String[] strings = new String(body, StandardCharsets.UTF_8).split("\0", -1);
			switch (type) {
				case 'Q':
					return strings[0].strip().equalsIgnoreCase("COMMIT");
				case 'P':
					this.statements.put(strings[0], strings[1].strip());
					return false;
				case 'B':
					return "COMMIT".equalsIgnoreCase(this.statements.get(strings[1]));
				default:
					return false;
			}
		}

	}

}
