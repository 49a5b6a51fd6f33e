package io.rvfeed.auth;

/**
 * A conservative estimate of how hard a secret an operator chose is to guess by brute
 * force. Each character counts log2 of the alphabet of the character classes the secret
 * uses (26 lower-case letters, 26 upper-case, 10 digits, 33 other printable ASCII, 100
 * for anything else; 16 when the secret is hexadecimal), except a character that repeats
 * the previous one or continues a run ({@code abc}, {@code 321}), which counts nothing.
 * It catches short, repetitive and single-class secrets; it cannot tell a phrase from
 * random characters, so secrets should be generated.
 */
final class KeyStrength {

	static final int REQUIRED_BITS = 128;

	private KeyStrength() {
	}

	static double estimatedBits(String secret) {
		int[] codePoints = secret.codePoints().toArray();
		boolean hex = secret.chars().allMatch((c) -> Character.digit(c, 16) >= 0 || c == '-')
				&& secret.chars().anyMatch(Character::isLetter);
		int counted = 0;
		int previousStep = 0;
		for (int i = 0; i < codePoints.length; i++) {
			int step = (i > 0) ? codePoints[i] - codePoints[i - 1] : Integer.MAX_VALUE;
			boolean repeat = step == 0;
			boolean run = Math.abs(step) == 1 && step == previousStep;
			boolean separator = hex && codePoints[i] == '-';
			if (!repeat && !run && !separator) {
				counted++;
			}
			previousStep = step;
		}
		return counted * Math.log(hex ? 16 : alphabet(codePoints)) / Math.log(2);
	}

	private static int alphabet(int[] codePoints) {
		boolean lower = false;
		boolean upper = false;
		boolean digit = false;
		boolean symbol = false;
		boolean other = false;
		for (int c : codePoints) {
			if (c >= 'a' && c <= 'z') {
				lower = true;
			}
			else if (c >= 'A' && c <= 'Z') {
				upper = true;
			}
			else if (c >= '0' && c <= '9') {
				digit = true;
			}
			else if (c > ' ' && c < 127) {
				symbol = true;
			}
			else {
				other = true;
			}
		}
		int size = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
		return Math.max(size, 2);
	}

	/**
	 * Refuses, at start-up, a secret shorter than {@code minLength} or estimated under
	 * 128 bits, naming the setting but never showing the secret.
	 */
	static void require(String setting, String secret, int minLength) {
		double bits = estimatedBits(secret);
		if (secret.length() < minLength || bits < REQUIRED_BITS) {
			throw new IllegalStateException(String.format(
					"%s is too weak to be stored safely: it has %d characters and about %d bits by rv-feed's "
							+ "estimate; at least %d characters and %d bits are needed. Use a random value, such as "
							+ "the output of 'openssl rand -base64 32'.",
					setting, secret.length(), (int) bits, minLength, REQUIRED_BITS));
		}
	}

}
