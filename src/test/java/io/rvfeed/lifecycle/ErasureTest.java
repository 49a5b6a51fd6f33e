package io.rvfeed.lifecycle;

import org.junit.jupiter.api.Test;

import io.rvfeed.web.InvalidRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ErasureTest {

	@Test
	void thePatternMatchesTheValueLiterallyAsAWholeToken() {
		assertThat(Erasure.pattern("a.b+c@x.example"))
			.isEqualTo("(?<![[:alnum:]_])a\\.b\\+c\\@x\\.example(?![[:alnum:]_])");
		assertThat(Erasure.pattern("Jörg (IT)")).isEqualTo("(?<![[:alnum:]_])Jörg\\ \\(IT\\)(?![[:alnum:]_])");
		assertThat(Erasure.pattern("x*[y]$^|{2}")).doesNotContain("x*").contains("x\\*\\[y\\]\\$\\^\\|\\{2\\}");
	}

	@Test
	void valuesAreCheckedAndTrimmed() {
		assertThat(Erasure.check("  alice@acme.example ")).isEqualTo("alice@acme.example");
		for (String bad : new String[] { null, "", "  ", "ab", "a\"b\"c", "a\\bc", "ab\u0000c", "x".repeat(256) }) {
			assertThatExceptionOfType(InvalidRequest.class).as(String.valueOf(bad))
				.isThrownBy(() -> Erasure.check(bad));
		}
	}

}
