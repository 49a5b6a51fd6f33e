package io.rvfeed.session;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdsTest {

	@Test
	void isAVersion7UuidOfTheRfcVariantCarryingItsMillisecond() {
		long millis = 1_764_140_000_123L;
		UUID id = TimeOrderedIds.at(millis);
		assertThat(id.version()).isEqualTo(7);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
		assertThat(id.toString()).startsWith(String.format("%08x-%04x-7", millis >>> 16, millis & 0xFFFF));
	}

	@Test
	void idsOfLaterMillisecondsSortAfterEarlierOnesAsPostgresqlComparesThem() {
		// PostgreSQL compares uuids as unsigned bytes, which is the order of their text
		UUID earlier = TimeOrderedIds.at(1_764_140_000_123L);
		UUID later = TimeOrderedIds.at(1_764_140_000_124L);
		assertThat(later.toString()).isGreaterThan(earlier.toString());
	}

	@Test
	void idsOfTheSameMillisecondDiffer() {
		Set<UUID> ids = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			ids.add(TimeOrderedIds.at(1_764_140_000_123L));
		}
		assertThat(ids).hasSize(10_000);
	}

}
