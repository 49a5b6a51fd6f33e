package io.rvfeed.web;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * A long-lived response written with non-blocking I/O, so that a client that stops
 * reading never holds a thread: a write is only made when the connection can take it
 * without waiting ({@link #write} answers false otherwise), and {@link #stalledFor} tells
 * how long the client has not been taking data, for callers to enforce a write deadline
 * with {@link #abort}, which drops the connection at once.
 * <p>
 * Callbacks from the container ({@code onWritePossible}, errors, completion) never wait
 * for a caller: the container may hold its own locks while it runs them.
 */
public final class NonBlockingResponse {

	private final AsyncContext async;

	private final ServletOutputStream out;

	private final @Nullable Runnable closeConnection;

	/** Serializes the callers' use of the output stream. */
	private final ReentrantLock io = new ReentrantLock();

	private final Object writableSignal = new Object();

	private final AtomicBoolean ended = new AtomicBoolean();

	private final AtomicBoolean endCallbacksRun = new AtomicBoolean();

	private volatile boolean signalled;

	/** When the connection was first found unable to take data, 0 while it can. */
	private volatile long stalledSinceNanos;

	private volatile Runnable onWritable = () -> {
	};

	private volatile Runnable onEnd = () -> {
	};

	private NonBlockingResponse(AsyncContext async, ServletOutputStream out, @Nullable Runnable closeConnection) {
		this.async = async;
		this.out = out;
		this.closeConnection = closeConnection;
	}

	/**
	 * Puts the request in asynchronous mode without a timeout and switches the response
	 * to non-blocking writes. Set the status and headers before the first write.
	 * @param onWritable run on a container thread each time the connection can take data
	 * again (first right after the current dispatch returns); it may write
	 * @param onEnd run once when the response ends, however it ends
	 */
	public static NonBlockingResponse start(HttpServletRequest request, HttpServletResponse response,
			Runnable onWritable, Runnable onEnd) throws IOException {
		AsyncContext async = request.startAsync(request, response);
		async.setTimeout(0);
		NonBlockingResponse started = new NonBlockingResponse(async, response.getOutputStream(),
				ConnectionAbort.of(request));
		started.onWritable = onWritable;
		started.onEnd = onEnd;
		async.addListener(started.new Listener());
		started.out.setWriteListener(started.new Writable());
		return started;
	}

	/**
	 * Writes the bytes if the connection can take them now (the container keeps what the
	 * socket does not take yet); answers false, writing nothing, if it cannot or the
	 * response has ended.
	 */
	public boolean write(byte[] bytes) {
		this.io.lock();
		try {
			if (!readyLocked()) {
				return false;
			}
			this.out.write(bytes);
			return true;
		}
		catch (IOException | IllegalStateException ex) {
			abort();
			return false;
		}
		finally {
			this.io.unlock();
		}
	}

	/**
	 * Sends what is buffered if the connection can take it now; answers whether it did.
	 */
	public boolean flush() {
		this.io.lock();
		try {
			if (!readyLocked()) {
				return false;
			}
			this.out.flush();
			return true;
		}
		catch (IOException | IllegalStateException ex) {
			abort();
			return false;
		}
		finally {
			this.io.unlock();
		}
	}

	/** Whether a write would be taken now. */
	public boolean writable() {
		this.io.lock();
		try {
			return readyLocked();
		}
		finally {
			this.io.unlock();
		}
	}

	private boolean readyLocked() {
		if (this.ended.get()) {
			return false;
		}
		boolean ready = this.out.isReady();
		if (!ready && this.stalledSinceNanos == 0) {
			this.stalledSinceNanos = Math.max(1, System.nanoTime());
		}
		return ready;
	}

	/**
	 * Waits (on a thread of the caller's own, never a shared one) until a write would be
	 * taken, at most {@code deadline} from now. Answers false if the time ran out or the
	 * response ended.
	 */
	public boolean awaitWritable(Duration deadline) throws InterruptedException {
		long end = System.nanoTime() + deadline.toNanos();
		while (true) {
			this.signalled = false;
			if (writable()) {
				return true;
			}
			if (this.ended.get()) {
				return false;
			}
			synchronized (this.writableSignal) {
				long left;
				while (!this.signalled && !this.ended.get() && (left = end - System.nanoTime()) > 0) {
					TimeUnit.NANOSECONDS.timedWait(this.writableSignal, left);
				}
			}
			if (!this.signalled && System.nanoTime() - end >= 0) {
				return false;
			}
		}
	}

	/** How long the client has not been taking data; zero while it does. */
	public Duration stalledFor() {
		long since = this.stalledSinceNanos;
		return (since == 0) ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
	}

	public boolean ended() {
		return this.ended.get();
	}

	/** Ends the response normally: the client receives what was written, then its end. */
	public void complete() {
		this.io.lock();
		try {
			if (this.ended.compareAndSet(false, true)) {
				wake();
				this.async.complete();
			}
		}
		finally {
			this.io.unlock();
		}
		runOnEnd();
	}

	/**
	 * Drops the connection now, without ending the response properly, so the client can
	 * tell that what it received is incomplete. Without a way to do that (another
	 * container), the response is completed.
	 */
	public void abort() {
		this.io.lock();
		try {
			if (this.ended.compareAndSet(false, true)) {
				wake();
				if (this.closeConnection != null) {
					this.closeConnection.run();
				}
				else {
					this.async.complete();
				}
			}
		}
		finally {
			this.io.unlock();
		}
		runOnEnd();
	}

	private void wake() {
		synchronized (this.writableSignal) {
			this.writableSignal.notifyAll();
		}
	}

	private void runOnEnd() {
		if (this.endCallbacksRun.compareAndSet(false, true)) {
			this.onEnd.run();
		}
	}

	/**
	 * The container ended the response (the client went away, or an error). Waits for a
	 * write or abort in progress, so that none reaches the connection after the container
	 * has let go of it: the container holds none of its own locks while it reports an
	 * error.
	 */
	private void failedInContainer() {
		this.io.lock();
		try {
			this.ended.set(true);
		}
		finally {
			this.io.unlock();
		}
		completedByContainer();
	}

	/**
	 * The container completed the response. It may hold its own locks while it says so,
	 * so this never waits for a caller.
	 */
	private void completedByContainer() {
		this.ended.set(true);
		wake();
		runOnEnd();
	}

	private final class Writable implements WriteListener {

		@Override
		public void onWritePossible() {
			NonBlockingResponse.this.stalledSinceNanos = 0;
			NonBlockingResponse.this.signalled = true;
			wake();
			NonBlockingResponse.this.onWritable.run();
		}

		@Override
		public void onError(Throwable error) {
			failedInContainer();
		}

	}

	private final class Listener implements AsyncListener {

		@Override
		public void onComplete(AsyncEvent event) {
			completedByContainer();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			failedInContainer();
			try {
				NonBlockingResponse.this.async.complete();
			}
			catch (IllegalStateException ex) {
				// completed already
			}
		}

		/**
		 * Completes the request itself, or else the container would dispatch it to the
		 * error page, which cannot write to a response already under way.
		 */
		@Override
		public void onError(AsyncEvent event) {
			failedInContainer();
			try {
				NonBlockingResponse.this.async.complete();
			}
			catch (IllegalStateException ex) {
				// completed already
			}
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

}
