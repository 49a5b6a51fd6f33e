package io.rvfeed.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Making API keys. Keys are random; what is stored is their keyed hash
 * ({@link ApiKeyHasher}), and of a key the service made, its first characters.
 */
public final class ApiKeys {

	private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	private static final int RANDOM_CHARACTERS = 40;

	private static final Pattern GENERATED = Pattern.compile("rvf_[0-9A-Za-z]{" + RANDOM_CHARACTERS + "}");

	private static final SecureRandom RANDOM = new SecureRandom();

	/**
	 * Shown in listings to tell keys apart: {@code rvf_} and 8 of the 40 random
	 * characters, which leaves 32 (190 bits) to guess. Only keys the service made have
	 * one; of a key an operator chose nothing is stored.
	 */
	static final int PREFIX_LENGTH = 12;

	private ApiKeys() {
	}

	/** A new key: {@code rvf_} and 40 base-62 characters (about 238 bits). */
	public static String generate() {
		StringBuilder key = new StringBuilder("rvf_");
		for (int i = 0; i < RANDOM_CHARACTERS; i++) {
			key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return key.toString();
	}

	/** Whether the key has the form of one that {@link #generate()} makes. */
	static boolean looksGenerated(String key) {
		return GENERATED.matcher(key).matches();
	}

	static String prefix(String generatedKey) {
		return generatedKey.substring(0, PREFIX_LENGTH);
	}

	/** SHA-256 of the key: what V1 stored, and what the keyed hash is taken of. */
	static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

}
