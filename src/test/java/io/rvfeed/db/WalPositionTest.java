package io.rvfeed.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** WAL positions (LSNs) as PostgreSQL writes them, and their order. */
class WalPositionTest {

	@Test
	void parsesAndWritesPostgresqlsForm() {
		assertThat(WalPosition.parse("16/B374D848")).hasValueSatisfying((position) -> {
			assertThat(position.value()).isEqualTo(0x16B374D848L);
			assertThat(position).hasToString("16/B374D848");
		});
		assertThat(WalPosition.parse(" 0/0 ")).hasValue(new WalPosition(0));
		assertThat(WalPosition.parse("ab/cd"))
			.hasValueSatisfying((position) -> assertThat(position).hasToString("AB/CD"));
	}

	@Test
	void refusesWhatIsNotOne() {
		for (String text : new String[] { "", "16", "16/", "/1", "16/B374D848/1", "G/1", "123456789/1", "-1/1", "1/ 2",
				"yesterday" }) {
			assertThat(WalPosition.parse(text)).as(text).isEmpty();
		}
	}

	@Test
	void ordersAsUnsignedNumbers() {
		WalPosition low = WalPosition.parse("0/FFFFFFFF").orElseThrow();
		WalPosition high = WalPosition.parse("1/0").orElseThrow();
		WalPosition top = WalPosition.parse("FFFFFFFF/FFFFFFFF").orElseThrow();
		assertThat(low.isBefore(high)).isTrue();
		assertThat(high.isBefore(top)).isTrue();
		assertThat(top.isBefore(low)).isFalse();
		assertThat(top).hasToString("FFFFFFFF/FFFFFFFF");
	}

}
