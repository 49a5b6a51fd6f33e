package io.rvfeed.web;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class Rfc3339Test {

	@ParameterizedTest
	@CsvSource({ "2023-10-01T12:00:00Z, 2023-10-01T12:00:00Z", "2023-10-01t12:00:00z, 2023-10-01T12:00:00Z",
			"2023-10-01T12:00:00.5Z, 2023-10-01T12:00:00.500Z",
			"2023-10-01T12:00:00.123456789Z, 2023-10-01T12:00:00.123456789Z",
			"2023-10-01T12:00:00.123456+02:00, 2023-10-01T10:00:00.123456Z",
			"2023-10-01T12:00:00-05:30, 2023-10-01T17:30:00Z", "2023-10-01T00:30:00-00:30, 2023-10-01T01:00:00Z",
			"2023-10-01T12:00:00 02:00, 2023-10-01T10:00:00Z", "2023-10-01T12:00:00+00:00, 2023-10-01T12:00:00Z",
			"2023-10-01, 2023-10-01T00:00:00Z", "2024-02-29, 2024-02-29T00:00:00Z",
			"2023-12-31T23:59:59.999999999+18:00, 2023-12-31T05:59:59.999999999Z",
			"0000-01-01T00:00:00Z, 0000-01-01T00:00:00Z", "9999-12-31T23:59:59-18:00, +10000-01-01T17:59:59Z" })
	void parses(String text, String instant) {
		assertThat(Rfc3339.parse(text)).isEqualTo(Instant.parse(instant));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "2023-10-01T12:00:00", "2023-10-01T12:00Z", "2023-10-01T12:00:00.Z",
			"2023-10-01T12:00:00.1234567890Z", "2023-10-01 12:00:00Z", "2023-10-01T12:00:00+0200",
			"2023-10-01T12:00:00+02", "2023-10-01T12:00:00ZZ", "20231001T120000Z", "2023-1-01", "23-10-01",
			"+2023-10-01", "2023-10-01T", "yesterday", "1696161600", "２０２３-10-01", "2023-10-01\u0000" })
	void refusesMalformed(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Rfc3339.parse(text)).withMessageContaining("RFC 3339");
	}

	@ParameterizedTest
	@ValueSource(strings = { "2023-13-01", "2023-02-29", "2023-10-32", "2023-10-01T24:00:00Z", "2023-10-01T12:60:00Z",
			"2023-10-01T12:00:60Z", "2023-10-01T12:00:00+19:00", "2023-10-01T12:00:00+02:60", "2023-00-10" })
	void refusesOutOfRangeFields(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Rfc3339.parse(text))
			.withMessageContaining("out of range");
	}

	@Test
	void roundsToWholeMicroseconds() {
		Instant between = Instant.parse("2023-10-01T12:00:00.000000500Z");
		assertThat(Rfc3339.floorMicros(between)).isEqualTo(Instant.parse("2023-10-01T12:00:00Z"));
		assertThat(Rfc3339.ceilMicros(between)).isEqualTo(Instant.parse("2023-10-01T12:00:00.000001Z"));
		Instant whole = Instant.parse("2023-10-01T12:00:00.000001Z");
		assertThat(Rfc3339.floorMicros(whole)).isEqualTo(whole);
		assertThat(Rfc3339.ceilMicros(whole)).isEqualTo(whole);
		Instant beforeEpoch = Instant.parse("1969-12-31T23:59:59.999999500Z");
		assertThat(Rfc3339.floorMicros(beforeEpoch)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
		assertThat(Rfc3339.ceilMicros(beforeEpoch)).isEqualTo(Instant.parse("1970-01-01T00:00:00Z"));
	}

}
