package io.rvfeed.feed;

/** One key of the {@code ordering} parameter and its direction. */
record OrderTerm(SortKey key, boolean descending) {

	static final OrderTerm DEFAULT = new OrderTerm(SortKey.CREATED_AT, true);

}
