package io.rvfeed.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction that does its work (with the service's own SQL, through the service's
 * transaction manager) and then stays open until the test commits or rolls it back: a
 * writer that began before others and commits after them. It runs on a thread of its own,
 * so the test thread stays outside it.
 */
public final class HeldTransaction implements AutoCloseable {

	private final CountDownLatch done = new CountDownLatch(1);

	private final CompletableFuture<Void> worked = new CompletableFuture<>();

	private final CompletableFuture<Void> ended = new CompletableFuture<>();

	private volatile boolean commit;

	private final Thread thread;

	private HeldTransaction(PlatformTransactionManager transactions, Runnable work) {
		TransactionTemplate template = new TransactionTemplate(transactions);
		this.thread = new Thread(() -> {
			try {
				template.executeWithoutResult((status) -> {
					work.run();
					this.worked.complete(null);
					awaitRelease();
					if (!this.commit) {
						status.setRollbackOnly();
					}
				});
				this.ended.complete(null);
			}
			catch (Throwable ex) {
				this.worked.completeExceptionally(ex);
				this.ended.completeExceptionally(ex);
			}
		}, "held-transaction");
		this.thread.setDaemon(true);
	}

	/**
	 * Runs {@code work} in a new transaction and answers once it has run (its writes are
	 * made, not committed).
	 */
	public static HeldTransaction begin(PlatformTransactionManager transactions, Runnable work) throws Exception {
		HeldTransaction held = new HeldTransaction(transactions, work);
		held.thread.start();
		held.worked.get(30, TimeUnit.SECONDS);
		return held;
	}

	private void awaitRelease() {
		try {
			if (!this.done.await(2, TimeUnit.MINUTES)) {
				throw new IllegalStateException("held transaction never released; rolled back");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Commits the transaction and waits until it has committed. */
	public void commit() throws Exception {
		this.commit = true;
		this.done.countDown();
		this.ended.get(30, TimeUnit.SECONDS);
	}

	/** Rolls back unless committed. */
	@Override
	public void close() throws Exception {
		this.done.countDown();
		this.thread.join(TimeUnit.SECONDS.toMillis(30));
	}

}
