package io.rvfeed.feed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;

import io.rvfeed.web.InvalidRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The {@code next} and {@code previous} links, without a server. */
class PageLinksTest {

	private static MockHttpServletRequest request(String query) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v2/rv-activity-feed/");
		request.setServerName("feed.example");
		request.setServerPort(8443);
		request.setScheme("https");
		request.setQueryString(query);
		return request;
	}

	private static final String BASE = "https://feed.example:8443/api/v2/rv-activity-feed/";

	@Test
	void theFirstPageHasANextLinkAndNoPrevious() {
		PageLinks links = PageLinks.of(request(null));
		assertThat(links.previous(0, 20)).isNull();
		assertThat(links.next(45, 0, 20)).isEqualTo(BASE + "?limit=20&offset=20");
	}

	@Test
	void theLastPageHasNoNextLink() {
		PageLinks links = PageLinks.of(request("limit=20&offset=40"));
		assertThat(links.next(45, 40, 20)).isNull();
		assertThat(links.next(60, 40, 20)).isNull();
		assertThat(links.next(61, 40, 20)).isEqualTo(BASE + "?limit=20&offset=60");
	}

	@Test
	void previousNeverGoesBelowTheStartAndLeavesOutOffsetZero() {
		PageLinks links = PageLinks.of(request("offset=5"));
		assertThat(links.previous(5, 20)).isEqualTo(BASE + "?limit=20");
		assertThat(links.previous(50, 20)).isEqualTo(BASE + "?limit=20&offset=30");
	}

	@Test
	void otherParametersAreKeptAsTheClientWroteThem() {
		PageLinks links = PageLinks.of(request("states=FAILED%2cACTIVE&limit=5&reason=a+b&offset=10&x=%E2%9C%93&flag"));
		assertThat(links.next(100, 10, 5))
			.isEqualTo(BASE + "?states=FAILED%2cACTIVE&reason=a+b&x=%E2%9C%93&flag&limit=5&offset=15");
	}

	@Test
	void anEncodedLimitOrOffsetNameIsReplacedToo() {
		PageLinks links = PageLinks.of(request("%6Cimit=3&states=FAILED&&off%73et=9"));
		assertThat(links.next(100, 0, 20)).isEqualTo(BASE + "?states=FAILED&limit=20&offset=20");
	}

	@Test
	void thePrivateUrlHeaderReplacesThisServersOrigin() {
		MockHttpServletRequest request = request("limit=20");
		request.addHeader("X-SCAPI-Private-URL", " https://api.example.com/proxy/ ");
		assertThat(PageLinks.of(request).next(100, 0, 20))
			.isEqualTo("https://api.example.com/proxy/api/v2/rv-activity-feed/?limit=20&offset=20");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://api.example.com", "/relative", "https://api.example.com/?q=1",
			"https://api.example.com/#top", "https://user:secret@api.example.com", "https://", "not a url" })
	void aPrivateUrlThatIsNoPlainHttpUrlIsRefused(String value) {
		MockHttpServletRequest request = request(null);
		request.addHeader("X-SCAPI-Private-URL", value);
		assertThatExceptionOfType(InvalidRequest.class).isThrownBy(() -> PageLinks.of(request))
			.withMessageStartingWith("Header 'X-SCAPI-Private-URL' must be an absolute http or https URL");
	}

	@Test
	void aPrivateUrlTooLongIsRefused() {
		MockHttpServletRequest request = request(null);
		request.addHeader("X-SCAPI-Private-URL", "https://api.example.com/" + "a".repeat(2048));
		assertThatExceptionOfType(InvalidRequest.class).isThrownBy(() -> PageLinks.of(request))
			.withMessage("Header 'X-SCAPI-Private-URL' must be at most 2048 characters.");
	}

	@Test
	void aBlankPrivateUrlIsNone() {
		MockHttpServletRequest request = request(null);
		request.addHeader("X-SCAPI-Private-URL", "  ");
		assertThat(PageLinks.of(request).next(100, 0, 20)).startsWith(BASE);
	}

}
