package io.rvfeed.web;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {

	private final ClientAddress trusting = new ClientAddress(List.of("10.0.0.0/8", "192.0.2.1", "::1"));

	@Test
	void withoutTrustedProxiesTheClientIsThePeer() {
		assertThat(new ClientAddress(List.of()).of(request("10.1.1.1", "198.51.100.1"))).isEqualTo("10.1.1.1");
	}

	@Test
	void anUntrustedPeerCannotNameAnotherAddress() {
		assertThat(this.trusting.of(request("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
	}

	@Test
	void theLastAddressNotAddedByATrustedProxyIsTheClient() {
		assertThat(this.trusting.of(request("192.0.2.1", "198.51.100.1"))).isEqualTo("198.51.100.1");
		// a client's own X-Forwarded-For entry before the real one does not count
		assertThat(this.trusting.of(request("192.0.2.1", "6.6.6.6, 198.51.100.1, 10.9.9.9"))).isEqualTo("198.51.100.1");
		assertThat(this.trusting.of(request("192.0.2.1", "6.6.6.6", "198.51.100.1, 10.9.9.9")))
			.isEqualTo("198.51.100.1");
		assertThat(this.trusting.of(request("::1", "2001:db8::7"))).isEqualTo("2001:db8::7");
	}

	@Test
	void onlyTrustedHopsGiveTheFirstOne() {
		assertThat(this.trusting.of(request("192.0.2.1", "10.2.2.2, 10.3.3.3"))).isEqualTo("10.2.2.2");
		assertThat(this.trusting.of(request("192.0.2.1"))).isEqualTo("192.0.2.1");
	}

	@Test
	void somethingThatIsNotAnAddressStopsTheWalk() {
		assertThat(this.trusting.of(request("192.0.2.1", "198.51.100.1, unknown"))).isEqualTo("192.0.2.1");
		assertThat(this.trusting.of(request("192.0.2.1", "<script>, 10.4.4.4"))).isEqualTo("10.4.4.4");
	}

	@Test
	void aMistypedProxyIsRefusedAtStartUp() {
		assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/8", "proxy.internal")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("proxy.internal");
	}

	private static MockHttpServletRequest request(String peer, String... forwardedFor) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v2/rv-activity-feed/");
		request.setRemoteAddr(peer);
		for (String header : forwardedFor) {
			request.addHeader(ClientAddress.FORWARDED_FOR, header);
		}
		return request;
	}

}
