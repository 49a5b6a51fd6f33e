package io.rvfeed.session;

import java.util.UUID;

/**
 * Ids the service makes up for sessions and events: version 7 UUIDs (RFC 9562), the
 * millisecond of their making first, then random bits. Their primary keys are btrees led
 * by the tenant: a random id would land on a random leaf of a large index, so nearly
 * every insert dirtied a page of its own (and logged all of it, the first time after each
 * checkpoint); ids made in time order go in at the index's right edge.
 */
final class TimeOrderedIds {

	private static final long VERSION_7 = 0x7000L;

	private static final long RANDOM_A = 0x0FFFL;

	private TimeOrderedIds() {
	}

	static UUID next() {
		return at(System.currentTimeMillis());
	}

	static UUID at(long epochMillis) {
		// a version 4 UUID already has 122 random bits and the RFC variant
		UUID random = UUID.randomUUID();
		long high = (epochMillis << 16) | VERSION_7 | (random.getMostSignificantBits() & RANDOM_A);
		return new UUID(high, random.getLeastSignificantBits());
	}

}
