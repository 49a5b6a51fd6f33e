package io.rvfeed.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The stored form of an API key: HMAC-SHA-256, under a server secret kept outside the
 * database, of the key's SHA-256. A copy of the database alone gives nothing to brute
 * force, and the lookup stays one indexed equality. Hashing the key's SHA-256 (rather
 * than the key) let V11 convert the SHA-256 rows of earlier versions without their keys.
 */
@Component
public class ApiKeyHasher {

	private static final Logger log = LoggerFactory.getLogger(ApiKeyHasher.class);

	static final int MIN_SECRET_LENGTH = 32;

	private static final String ALGORITHM = "HmacSHA256";

	private static final byte[] FINGERPRINT_MESSAGE = "rv-feed API key hash secret check"
		.getBytes(StandardCharsets.UTF_8);

	private final SecretKeySpec secret;

	ApiKeyHasher(ApiKeyProperties properties) {
		this.secret = new SecretKeySpec(loadSecret(properties).getBytes(StandardCharsets.UTF_8), ALGORITHM);
	}

	/** What is stored for the key, and looked up. */
	byte[] hash(String key) {
		return hmac(ApiKeys.sha256(key));
	}

	/** The stored form of a key whose SHA-256 a version before V11 stored. */
	byte[] rehashSha256(byte[] sha256) {
		return hmac(sha256);
	}

	/**
	 * A check value of the secret, kept in the database so that an instance with another
	 * secret refuses to start; it tells nothing about the secret.
	 */
	byte[] fingerprint() {
		return hmac(FINGERPRINT_MESSAGE);
	}

	/**
	 * HMAC-SHA-256 under the server secret of {@code purpose}, a zero byte and
	 * {@code message}: a stable pseudonym of a value that a copy of the database alone
	 * cannot reverse by guessing (erasure of a person).
	 */
	public byte[] keyedDigest(String purpose, String message) {
		byte[] head = purpose.getBytes(StandardCharsets.UTF_8);
		byte[] body = message.getBytes(StandardCharsets.UTF_8);
		byte[] all = new byte[head.length + 1 + body.length];
		System.arraycopy(head, 0, all, 0, head.length);
		System.arraycopy(body, 0, all, head.length + 1, body.length);
		return hmac(all);
	}

	/**
	 * A key for another use of the server secret (e.g. encrypting webhook signing
	 * secrets), derived so that it tells nothing about the secret or the key hashes.
	 */
	public byte[] derivedKey(String purpose) {
		return hmac(("rv-feed derived key: " + purpose).getBytes(StandardCharsets.UTF_8));
	}

	private byte[] hmac(byte[] message) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.secret);
			return mac.doFinal(message);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA-256 is part of every Java runtime", ex);
		}
	}

	private static String loadSecret(ApiKeyProperties properties) {
		if (properties.hashSecret() != null) {
			KeyStrength.require("RVFEED_KEY_HASH_SECRET (rvfeed.api-keys.hash-secret)", properties.hashSecret(),
					MIN_SECRET_LENGTH);
			return properties.hashSecret();
		}
		Path file = properties.hashSecretFile().toAbsolutePath();
		try {
			if (Files.notExists(file)) {
				create(file);
			}
			warnIfOthersCanRead(file);
			String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
			KeyStrength.require("The API key hash secret in " + file, secret, MIN_SECRET_LENGTH);
			return secret;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the API key hash secret file " + file
					+ " (rvfeed.api-keys.hash-secret-file, RVFEED_KEY_HASH_SECRET_FILE)", ex);
		}
	}

	private static void create(Path file) throws IOException {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		Files.createDirectories(file.getParent());
		Path temporary = Files.createTempFile(file.getParent(), ".key-hash-secret", ".tmp");
		try {
			ownerOnly(temporary);
			Files.writeString(temporary, secret + "\n", StandardCharsets.UTF_8);
			// never replaces a secret another process made meanwhile
			Files.move(temporary, file);
			log.warn("Made a new API key hash secret in {}. Back it up, apart from the database's backups: "
					+ "without it no stored API key works. Every instance on this database needs the same secret.",
					file);
		}
		catch (FileAlreadyExistsException ex) {
			// made by another process meanwhile: use that one
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	private static void ownerOnly(Path file) throws IOException {
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// not a POSIX file system: its defaults apply
		}
	}

	private static void warnIfOthersCanRead(Path file) throws IOException {
		try {
			Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
			if (permissions.stream()
				.anyMatch(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ)::contains)) {
				log.warn("The API key hash secret file {} can be read by other users: 'chmod 600' it", file);
			}
		}
		catch (UnsupportedOperationException ex) {
			// not a POSIX file system
		}
	}

}
