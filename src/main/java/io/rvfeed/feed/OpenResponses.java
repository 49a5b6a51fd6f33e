package io.rvfeed.feed;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import io.rvfeed.auth.ApiKeyRepository;
import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.web.DatabaseUnavailable;

/**
 * The streams and exports open on this instance, counted per API key, per tenant and in
 * all against their caps, and ended when their key is revoked or rotated: every
 * {@code rvfeed.revocation.check-interval} the keys behind them are looked up in the
 * database, so a revocation through any instance reaches them all.
 */
@Component
class OpenResponses implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OpenResponses.class);

	private static final int DEFAULT_POOL_SIZE = 10;

	enum Kind {

		STREAM("live streams"), EXPORT("exports");

		final String label;

		Kind(String label) {
			this.label = label;
		}

	}

	private record Caps(int perKey, int perTenant, int total) {
	}

	private final ApiKeyRepository keys;

	private final RevocationProperties revocation;

	private final Map<Kind, Caps> caps = new EnumMap<>(Kind.class);

	/** Guarded by {@code this}. */
	private final Set<Lease> open = new HashSet<>();

	/** Guarded by {@code this}: open leases per kind and key, kind and tenant, kind. */
	private final Map<Object, Integer> counts = new HashMap<>();

	private final AtomicBoolean checkFailing = new AtomicBoolean();

	private volatile ScheduledExecutorService checker;

	OpenResponses(ApiKeyRepository keys, StreamProperties streams, ExportProperties exports,
			RevocationProperties revocation, DataSource dataSource) {
		this.keys = keys;
		this.revocation = revocation;
		this.caps.put(Kind.STREAM, new Caps(streams.maxPerKey(), streams.maxPerTenant(), streams.maxOpen()));
		this.caps.put(Kind.EXPORT,
				new Caps(exports.maxPerKey(), exports.maxPerTenant(), exports.maxConcurrent(poolSize(dataSource))));
	}

	private static int poolSize(DataSource dataSource) {
		try {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				return dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
			}
		}
		catch (SQLException ex) {
			// not a Hikari pool: assume Hikari's default size
		}
		return DEFAULT_POOL_SIZE;
	}

	/** The most responses of the kind that may run at once on this instance. */
	int total(Kind kind) {
		return this.caps.get(kind).total();
	}

	/**
	 * Counts a new response of the caller, or refuses it with 429 if that would go over a
	 * cap. Close the lease when the response ends.
	 */
	synchronized Lease open(Kind kind, ApiPrincipal caller) {
		Caps limit = this.caps.get(kind);
		List<Object> keys = List.of(List.of(kind, "key", caller.keyId()), List.of(kind, "tenant", caller.tenantId()),
				kind);
		if (count(keys.get(0)) >= limit.perKey()) {
			throw new ResponseLimitReached("Too many " + kind.label + " open with this API key (at most "
					+ limit.perKey() + " at once). Wait for one to end, then try again.");
		}
		if (count(keys.get(1)) >= limit.perTenant()) {
			throw new ResponseLimitReached("Too many " + kind.label + " open for this tenant (at most "
					+ limit.perTenant() + " at once). Wait for one to end, then try again.");
		}
		if (count(keys.get(2)) >= limit.total()) {
			throw new ResponseLimitReached(
					"The service is running as many " + kind.label + " as it can. Wait a moment and try again.");
		}
		keys.forEach((key) -> this.counts.merge(key, 1, Integer::sum));
		Lease lease = new Lease(caller, keys);
		this.open.add(lease);
		return lease;
	}

	private int count(Object key) {
		return this.counts.getOrDefault(key, 0);
	}

	private synchronized void release(Lease lease) {
		if (this.open.remove(lease)) {
			lease.counted.forEach((key) -> this.counts.computeIfPresent(key, (k, n) -> (n > 1) ? n - 1 : null));
		}
	}

	synchronized int open(Kind kind) {
		return count(kind);
	}

	/** Ends the responses whose key is no longer live. */
	void checkKeys() {
		List<Lease> leases;
		synchronized (this) {
			leases = new ArrayList<>(this.open);
		}
		if (leases.isEmpty()) {
			return;
		}
		Set<UUID> live;
		try {
			live = this.keys.liveKeyIds(leases.stream().map(Lease::caller).distinct().toList());
			if (this.checkFailing.compareAndSet(true, false)) {
				log.info("Checking the keys of open streams and exports works again");
			}
		}
		catch (DataAccessException | org.jooq.exception.DataAccessException ex) {
			// an outage is logged once, by DatabaseAvailability
			if (!DatabaseUnavailable.isCause(ex) && this.checkFailing.compareAndSet(false, true)) {
				log.warn("Cannot check the keys of open streams and exports; retrying", ex);
			}
			return;
		}
		for (Lease lease : leases) {
			if (!live.contains(lease.caller().keyId())) {
				lease.revoke();
			}
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "open-response-key-check");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.revocation.checkInterval().toMillis();
		executor.scheduleWithFixedDelay(this::checkKeysSafely, interval, interval, TimeUnit.MILLISECONDS);
		this.checker = executor;
	}

	private void checkKeysSafely() {
		try {
			checkKeys();
		}
		catch (RuntimeException ex) {
			log.warn("Checking the keys of open streams and exports failed", ex);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.checker;
		if (executor != null) {
			executor.shutdownNow();
		}
		this.checker = null;
	}

	@Override
	public boolean isRunning() {
		return this.checker != null;
	}

	/** One open stream or export, counted until it is closed. */
	final class Lease implements AutoCloseable {

		private final ApiPrincipal caller;

		private final List<Object> counted;

		private final AtomicBoolean revoked = new AtomicBoolean();

		private volatile Runnable onRevoked = () -> {
		};

		private Lease(ApiPrincipal caller, List<Object> counted) {
			this.caller = caller;
			this.counted = counted;
		}

		ApiPrincipal caller() {
			return this.caller;
		}

		/** What ends the response when its key is revoked; it must not block. */
		void onRevoked(Runnable action) {
			this.onRevoked = action;
			if (this.revoked.get()) {
				action.run();
			}
		}

		private void revoke() {
			if (this.revoked.compareAndSet(false, true)) {
				log.info("Ending a response of tenant {}: its API key {} was revoked", this.caller.tenantId(),
						this.caller.keyId());
				this.onRevoked.run();
			}
		}

		@Override
		public void close() {
			release(this);
		}

	}

}
