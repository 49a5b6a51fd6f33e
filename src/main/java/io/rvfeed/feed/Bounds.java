package io.rvfeed.feed;

import org.jspecify.annotations.Nullable;

/**
 * The four comparison filters of one column ({@code _lt}, {@code _lte}, {@code _gt},
 * {@code _gte}); any may be absent. Values are already in the column's unit.
 */
record Bounds<T extends Comparable<? super T>>(@Nullable T lt, @Nullable T lte, @Nullable T gt, @Nullable T gte) {

	static <T extends Comparable<? super T>> Bounds<T> none() {
		return new Bounds<>(null, null, null, null);
	}

	boolean isEmpty() {
		return this.lt == null && this.lte == null && this.gt == null && this.gte == null;
	}

}
