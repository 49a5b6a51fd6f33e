package io.rvfeed.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Counts the request bodies being received, in all, per tenant and per key, so that no
 * caller can keep more than its share of connections and buffers busy with slow bodies.
 */
@Component
class BodyReads {

	private static final String ALL = "";

	private final Map<String, Integer> reading = new ConcurrentHashMap<>();

	private final int max;

	private final int maxPerTenant;

	private final int maxPerKey;

	BodyReads(RequestLimitsProperties properties) {
		this.max = properties.maxBodyReads();
		this.maxPerTenant = properties.maxBodyReadsPerTenant();
		this.maxPerKey = properties.maxBodyReadsPerKey();
	}

	/** Why a body may not be read now. */
	enum Refusal {

		KEY, TENANT, SERVICE

	}

	/** Takes a place for one body, or says which limit is reached (and takes nothing). */
	@Nullable Refusal tryStart(RequestBodies.Caller caller) {
		if (!take("key:" + caller.key(), this.maxPerKey)) {
			return Refusal.KEY;
		}
		String tenant = (caller.tenant() != null) ? "tenant:" + caller.tenant() : null;
		if (tenant != null && !take(tenant, this.maxPerTenant)) {
			give("key:" + caller.key());
			return Refusal.TENANT;
		}
		if (!take(ALL, this.max)) {
			give("key:" + caller.key());
			if (tenant != null) {
				give(tenant);
			}
			return Refusal.SERVICE;
		}
		return null;
	}

	void finish(RequestBodies.Caller caller) {
		give(ALL);
		if (caller.tenant() != null) {
			give("tenant:" + caller.tenant());
		}
		give("key:" + caller.key());
	}

	int reading() {
		return this.reading.getOrDefault(ALL, 0);
	}

	private boolean take(String name, int limit) {
		boolean[] taken = { false };
		this.reading.compute(name, (key, count) -> {
			int now = (count != null) ? count : 0;
			if (now >= limit) {
				return count;
			}
			taken[0] = true;
			return now + 1;
		});
		return taken[0];
	}

	private void give(String name) {
		this.reading.computeIfPresent(name, (key, count) -> (count <= 1) ? null : count - 1);
	}

}
