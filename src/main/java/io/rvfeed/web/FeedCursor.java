package io.rvfeed.web;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * A place in one tenant's feed of one kind, as clients hold it: opaque text (base64url of
 * a version byte, the kind, the tenant and the position), handed out as
 * {@code next_cursor}, a record's {@code cursor} or an SSE event id, and given back
 * unchanged. A position is the writing transaction (xid8) and a sequence number within
 * the feed (the change's {@code change_seq} for session changes, the event's
 * {@code arrival} for events).
 */
public record FeedCursor(Kind kind, UUID tenantId, long tx, long seq) implements Comparable<FeedCursor> {

	private static final byte VERSION = 1;

	private static final int LENGTH = 2 + 16 + 8 + 8;

	/** Which feed a cursor walks; a cursor of one kind is refused by the other. */
	public enum Kind {

		CHANGES('c', "the session changes feed"), EVENTS('e', "the session events feed");

		private final byte code;

		private final String description;

		Kind(char code, String description) {
			this.code = (byte) code;
			this.description = description;
		}

		public String description() {
			return this.description;
		}

	}

	/** Before everything: where a reader without a cursor starts. */
	public static FeedCursor start(Kind kind, UUID tenantId) {
		return new FeedCursor(kind, tenantId, 0, 0);
	}

	/** Just before every position of transactions from {@code tx} on. */
	public static FeedCursor before(Kind kind, UUID tenantId, long tx) {
		return (tx <= 0) ? start(kind, tenantId) : new FeedCursor(kind, tenantId, tx - 1, Long.MAX_VALUE);
	}

	public String encode() {
		ByteBuffer bytes = ByteBuffer.allocate(LENGTH);
		bytes.put(VERSION)
			.put(this.kind.code)
			.putLong(this.tenantId.getMostSignificantBits())
			.putLong(this.tenantId.getLeastSignificantBits())
			.putLong(this.tx)
			.putLong(this.seq);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
	}

	/**
	 * The cursor in {@code text}, which must be one of {@code kind} given out to
	 * {@code tenantId}; otherwise an {@link InvalidRequest} naming {@code parameter}. A
	 * cursor of another tenant is refused exactly like a malformed one.
	 */
	public static FeedCursor decode(String text, Kind kind, UUID tenantId, String parameter) {
		String malformed = parameter + " is not a cursor of " + kind.description
				+ ": pass a cursor this service gave out (next_cursor or a record's cursor), unchanged.";
		byte[] raw;
		try {
			raw = (text.length() <= 2 * LENGTH) ? Base64.getUrlDecoder().decode(text.strip()) : null;
		}
		catch (IllegalArgumentException ex) {
			raw = null;
		}
		if (raw == null || raw.length != LENGTH || raw[0] != VERSION) {
			throw new InvalidRequest(malformed);
		}
		ByteBuffer bytes = ByteBuffer.wrap(raw);
		bytes.get();
		byte code = bytes.get();
		UUID tenant = new UUID(bytes.getLong(), bytes.getLong());
		long tx = bytes.getLong();
		long seq = bytes.getLong();
		Kind given = null;
		for (Kind candidate : Kind.values()) {
			if (candidate.code == code) {
				given = candidate;
			}
		}
		if (given == null || !tenant.equals(tenantId) || tx < 0 || seq < 0) {
			throw new InvalidRequest(malformed);
		}
		if (given != kind) {
			throw new InvalidRequest(
					parameter + " is a cursor of " + given.description + ", not of " + kind.description + ".");
		}
		return new FeedCursor(kind, tenant, tx, seq);
	}

	/**
	 * Refuses a cursor beyond every position the service can have given out: its
	 * transaction must be older than every transaction still running ({@code xmin} of the
	 * current snapshot), as every position a reader is given is.
	 */
	public void requireGivenOut(long snapshotXmin, String parameter) {
		if (this.tx >= snapshotXmin) {
			throw new InvalidRequest(parameter + " points past the newest position of " + this.kind.description
					+ ": pass a cursor this service gave out, unchanged.");
		}
	}

	/**
	 * Refuses, with 410, a cursor older than what the service still holds: the records
	 * after it up to {@code purgedThrough} are gone.
	 */
	public void requireRetained(FeedCursor purgedThrough, String parameter) {
		if (purgedThrough != null && compareTo(purgedThrough) < 0) {
			throw new CursorExpired(parameter, this.kind);
		}
	}

	public boolean isStart() {
		return this.tx == 0 && this.seq == 0;
	}

	@Override
	public int compareTo(FeedCursor other) {
		int byTx = Long.compare(this.tx, other.tx);
		return (byTx != 0) ? byTx : Long.compare(this.seq, other.seq);
	}

	@Override
	public String toString() {
		return encode();
	}

}
