package io.rvfeed.feed;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place in the tenant's stream of session changes: the changing transaction and the
 * change's sequence number. Printed as the SSE event id, {@code <tx>.<seq>}.
 */
record ChangePosition(long tx, long seq) implements Comparable<ChangePosition> {

	private static final Pattern TEXT = Pattern.compile("^(\\d{1,18})\\.(\\d{1,18})$");

	/** Just before every change of transactions from {@code tx} on. */
	static ChangePosition before(long tx) {
		return new ChangePosition(tx - 1, Long.MAX_VALUE);
	}

	static Optional<ChangePosition> parse(String text) {
		Matcher m = TEXT.matcher(text.trim());
		return m.matches() ? Optional.of(new ChangePosition(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))))
				: Optional.empty();
	}

	@Override
	public String toString() {
		return this.tx + "." + this.seq;
	}

	@Override
	public int compareTo(ChangePosition other) {
		int byTx = Long.compare(this.tx, other.tx);
		return (byTx != 0) ? byTx : Long.compare(this.seq, other.seq);
	}

}
