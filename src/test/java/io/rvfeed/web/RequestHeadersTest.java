package io.rvfeed.web;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestHeadersTest {

	@Test
	void uuidsInTheirCanonicalFormInEitherCase() {
		UUID id = UUID.fromString("5f0c1b2e-8a4d-4c1e-9f3a-2b7d6e8c9a01");
		assertThat(RequestHeaders.parseUuid("5f0c1b2e-8a4d-4c1e-9f3a-2b7d6e8c9a01")).contains(id);
		assertThat(RequestHeaders.parseUuid("5F0C1B2E-8A4D-4C1E-9F3A-2B7D6E8C9A01")).contains(id);
		assertThat(RequestHeaders.parseUuid("00000000-0000-0000-0000-000000000000")).contains(new UUID(0, 0));
	}

	@Test
	void nothingThatUuidFromStringWouldStillTake() {
		for (String lax : new String[] { "1-1-1-1-1", "5f0c1b2e-8a4d-4c1e-9f3a-2b7d6e8c9a0",
				"5f0c1b2e-8a4d-4c1e-9f3a-2b7d6e8c9a011", "5f0c1b2e8a4d-4c1e-9f3a-2b7d6e8c9a01-",
				"5f0c1b2e-8a4d-4c1e-9f3a+2b7d6e8c9a01", "5f0c1b2g-8a4d-4c1e-9f3a-2b7d6e8c9a01",
				"5f0c1b2e-8a4d-4c1e-9f3a-2b7d6e8c9a0\n", "{5f0c1b2e-8a4d-4c1e-9f3a-2b7d6e8c9a}",
				"５f0c1b2e-8a4d-4c1e-9f3a-2b7d6e8c9a01", "" }) {
			assertThat(RequestHeaders.parseUuid(lax)).as(lax).isEmpty();
		}
	}

}
