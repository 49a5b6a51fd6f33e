package io.rvfeed.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class KeyStrengthTest {

	private static final SecureRandom RANDOM = new SecureRandom();

	@Test
	void generatedSecretsPass() {
		assertThatNoException().isThrownBy(() -> KeyStrength.require("KEY", base64(32), 24));
		assertThatNoException().isThrownBy(() -> KeyStrength.require("KEY", hex(32), 24));
		assertThatNoException().isThrownBy(() -> KeyStrength.require("KEY", ApiKeys.generate(), 24));
		// hexadecimal counts 4 bits a character, fewer for repeats: at most 128 for 32
		assertThat(KeyStrength.estimatedBits(hex(16))).isLessThanOrEqualTo(128.0);
	}

	@Test
	void shortRepetitiveOrSequentialSecretsFail() {
		assertThat(KeyStrength.estimatedBits(hex(12))).isLessThan(128);
		assertThat(KeyStrength.estimatedBits("a".repeat(60))).isLessThan(10);
		assertThat(KeyStrength.estimatedBits("abcdefghijklmnopqrstuvwxyz0123456789")).isLessThan(30);
		assertThat(KeyStrength.estimatedBits("12345678901234567890123456789012")).isLessThan(128);
		assertThatIllegalStateException().isThrownBy(() -> KeyStrength.require("KEY", "rvf_0123456789ab", 24))
			.withMessageContaining("KEY is too weak")
			.withMessageContaining("16 characters")
			.withMessageNotContaining("rvf_0123456789ab");
		assertThatIllegalStateException().isThrownBy(() -> KeyStrength.require("KEY", base64(12), 24));
	}

	private static String base64(int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.nextBytes(random);
		return Base64.getEncoder().encodeToString(random);
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

}
