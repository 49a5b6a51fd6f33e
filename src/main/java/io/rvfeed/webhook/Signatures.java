package io.rvfeed.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature: HMAC-SHA256, keyed with the base64 part of a
 * {@code whsec_} secret, over {@code id.timestamp.body}; sent as {@code v1,<base64>},
 * several separated by spaces.
 */
final class Signatures {

	private Signatures() {
	}

	static String sign(String secret, String id, long timestamp, String body) {
		String encoded = secret.startsWith(WebhookSecrets.PREFIX) ? secret.substring(WebhookSecrets.PREFIX.length())
				: secret;
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
			byte[] signature = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(signature);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA-256 is part of every Java runtime", ex);
		}
	}

	/** The header's value: one signature per secret, space-separated. */
	static String header(List<String> secrets, String id, long timestamp, String body) {
		return secrets.stream().map((secret) -> sign(secret, id, timestamp, body)).collect(Collectors.joining(" "));
	}

}
