package io.rvfeed.stats;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Durations counted per bin of {@code rv_stats_bin} (V50): bin 0 holds 0 us, bin
 * {@code b >= 1} holds {@code [1.02^(b-1), 1.02^b)} us. A bin's value is read back as the
 * geometric middle of its bounds, within 1 % of every duration in it, so a percentile
 * interpolated from the bins is within 1 % of {@code percentile_cont}'s.
 * <p>
 * Signed: cells are added and subtracted (a zone's day is a UTC day plus and minus
 * hours). The packed form is the cells' {@code hist}: per non-empty bin, ascending, a
 * big-endian int2 bin and int4 count.
 */
final class DurationHistogram {

	/** The bin of {@code Long.MAX_VALUE} us is 2,206; one to spare for rounding. */
	static final int BINS = 2208;

	private static final double RATIO = 1.02;

	private static final int ENTRY_BYTES = 6;

	private final long[] counts = new long[BINS];

	private int lowest = BINS;

	private int highest = -1;

	void add(int bin, long count) {
		if (bin < 0 || count == 0) {
			return;
		}
		this.counts[bin] += count;
		this.lowest = Math.min(this.lowest, bin);
		this.highest = Math.max(this.highest, bin);
	}

	void addPacked(byte[] packed, int sign) {
		ByteBuffer entries = ByteBuffer.wrap(packed);
		while (entries.remaining() >= ENTRY_BYTES) {
			add(entries.getShort(), (long) sign * entries.getInt());
		}
	}

	void clear() {
		if (this.highest >= 0) {
			Arrays.fill(this.counts, this.lowest, this.highest + 1, 0);
		}
		this.lowest = BINS;
		this.highest = -1;
	}

	byte[] pack() {
		int entries = 0;
		for (int bin = this.lowest; bin <= this.highest; bin++) {
			if (this.counts[bin] != 0) {
				entries++;
			}
		}
		ByteBuffer packed = ByteBuffer.allocate(entries * ENTRY_BYTES);
		for (int bin = this.lowest; bin <= this.highest; bin++) {
			if (this.counts[bin] != 0) {
				packed.putShort((short) bin);
				packed.putInt(Math.toIntExact(this.counts[bin]));
			}
		}
		return packed.array();
	}

	/**
	 * {@code percentile_cont(fraction)} of the {@code total} counted durations: the
	 * values at the two ranks around {@code fraction * (total - 1)}, interpolated
	 * linearly; each value is its bin's middle, no more than the exact {@code max}.
	 */
	@Nullable Double percentile(double fraction, long total, @Nullable Long max) {
		if (total <= 0) {
			return null;
		}
		double position = fraction * (total - 1);
		long lower = (long) Math.floor(position);
		long upper = (long) Math.ceil(position);
		double low = valueAt(lower, max);
		double high = (upper == lower) ? low : valueAt(upper, max);
		return low + (position - lower) * (high - low);
	}

	/** The value of the duration at a rank (0 is the shortest). */
	private double valueAt(long rank, @Nullable Long max) {
		long seen = 0;
		int bin = this.highest;
		for (int each = this.lowest; each <= this.highest; each++) {
			seen += this.counts[each];
			if (seen > rank) {
				bin = each;
				break;
			}
		}
		double value = middle(bin);
		return (max != null) ? Math.min(value, max) : value;
	}

	/** The longer of two durations, either of which may be absent. */
	static @Nullable Long longer(@Nullable Long a, @Nullable Long b) {
		return (a == null) ? b : (b == null || a >= b) ? a : b;
	}

	static double middle(int bin) {
		return (bin <= 0) ? 0 : Math.pow(RATIO, bin - 0.5);
	}

}
