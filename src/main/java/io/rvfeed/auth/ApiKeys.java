package io.rvfeed.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Making and hashing API keys. Keys are random; only their SHA-256 is stored. */
public final class ApiKeys {

	private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	private static final SecureRandom RANDOM = new SecureRandom();

	/** Shown in listings: enough to tell keys apart, far too little to guess the rest. */
	static final int PREFIX_LENGTH = 12;

	private ApiKeys() {
	}

	/** A new key: {@code rvf_} and 40 base-62 characters (about 238 bits). */
	public static String generate() {
		StringBuilder key = new StringBuilder("rvf_");
		for (int i = 0; i < 40; i++) {
			key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return key.toString();
	}

	public static byte[] hash(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	public static String prefix(String key) {
		return key.substring(0, Math.min(PREFIX_LENGTH, key.length()));
	}

}
