package io.rvfeed.feed;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IsoDurationsTest {

	@ParameterizedTest
	@CsvSource({ "PT10M30S, 630000000000", "PT0.5S, 500000000", "'PT0,5S', 500000000", "P1D, 86400000000000",
			"P1W, 604800000000000", "PT26H, 93600000000000", "PT0S, 0", "P0D, 0", "PT0.000000001S, 1",
			"PT0.123456789S, 123456789", "PT1.1S, 1100000000", "P1DT2H3M4.5S, 93784500000000",
			"P2W3D, 1468800000000000", "pt10m30s, 630000000000", "P1DT1H, 90000000000000",
			"PT9223372036.854775807S, 9223372036854775807", "PT100000H, 360000000000000000" })
	void parses(String text, long nanos) {
		assertThat(IsoDurations.parseNanos(text)).isEqualTo(nanos);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "P", "PT", "pt", "p", "P1DT", "p1dt", "T1H", "1D", "PT1", "PT1.S", "PT.5S",
			"PT0.1234567891S", "PT1.5M", "P1.5D", "-PT1S", "PT-1S", "+PT1S", "PT1H1H", "PT1S1M", "P1D1W", " PT1S",
			"PT1S ", "PT１S", "P٣D", "PT1s\u0000", "PTS", "P1H", "PT1D" })
	void refusesMalformed(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> IsoDurations.parseNanos(text))
			.withMessageContaining("ISO 8601");
	}

	@ParameterizedTest
	@ValueSource(strings = { "P1Y", "P1M", "P1Y2M", "P0Y", "P1YT1S", "p1m" })
	void refusesYearsAndMonths(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> IsoDurations.parseNanos(text))
			.withMessageContaining("months");
	}

	@ParameterizedTest
	@ValueSource(strings = { "PT9223372036.854775808S", "PT9223372037S", "P106752D", "P99999999999999999999W",
			"PT99999999999999999999999999999S" })
	void refusesWhatDoesNotFitInLongNanoseconds(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> IsoDurations.parseNanos(text))
			.withMessageContaining("too large");
	}

}
