package io.rvfeed.web;

import org.springframework.http.HttpStatus;

/**
 * A cursor points before the oldest record the service still holds: the records between
 * it and what is kept are gone, so the reader cannot go on without a gap (410).
 */
public class CursorExpired extends ApiProblem {

	public CursorExpired(String parameter, FeedCursor.Kind kind) {
		super(HttpStatus.GONE, parameter + " points before the oldest record of " + kind.description()
				+ " that this service still holds; start again without a cursor, or with since=.");
	}

}
