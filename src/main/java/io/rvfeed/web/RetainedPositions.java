package io.rvfeed.web;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * How far back each tenant's feeds are still held: a cursor before the position returned
 * here answers 410 ({@link CursorExpired}). Until records are purged (the retention
 * feature), everything is held and this answers null.
 */
public interface RetainedPositions {

	/** The newest position purged from the tenant's feed of this kind, or null. */
	@Nullable FeedCursor purgedThrough(UUID tenantId, FeedCursor.Kind kind);

}
