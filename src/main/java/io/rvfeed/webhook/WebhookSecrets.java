package io.rvfeed.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import io.rvfeed.auth.ApiKeyHasher;

/**
 * Endpoint signing secrets: made here ({@code whsec_} and 32 random bytes in base64, as
 * Standard Webhooks has them), stored encrypted (AES-256-GCM under a key derived from the
 * server's key hash secret, bound to the endpoint), and never written to a log.
 */
@Component
class WebhookSecrets {

	static final String PREFIX = "whsec_";

	private static final int IV_LENGTH = 12;

	private static final int TAG_BITS = 128;

	private final SecureRandom random = new SecureRandom();

	private final SecretKeySpec key;

	WebhookSecrets(ApiKeyHasher hasher) {
		this.key = new SecretKeySpec(hasher.derivedKey("webhook signing secrets"), "AES");
	}

	String generate() {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		return PREFIX + Base64.getEncoder().encodeToString(bytes);
	}

	byte[] encrypt(UUID tenantId, UUID endpointId, String secret) {
		byte[] iv = new byte[IV_LENGTH];
		this.random.nextBytes(iv);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(boundTo(tenantId, endpointId));
			byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.allocate(IV_LENGTH + sealed.length).put(iv).put(sealed).array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is part of every Java runtime", ex);
		}
	}

	String decrypt(UUID tenantId, UUID endpointId, byte[] stored) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, stored, 0, IV_LENGTH));
			cipher.updateAAD(boundTo(tenantId, endpointId));
			return new String(cipher.doFinal(stored, IV_LENGTH, stored.length - IV_LENGTH), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The signing secret of webhook endpoint " + endpointId
					+ " cannot be decrypted: was the key hash secret (RVFEED_KEY_HASH_SECRET) changed?");
		}
	}

	private static byte[] boundTo(UUID tenantId, UUID endpointId) {
		return (tenantId + "/" + endpointId).getBytes(StandardCharsets.UTF_8);
	}

}
