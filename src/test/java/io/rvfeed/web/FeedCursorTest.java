package io.rvfeed.web;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedCursorTest {

	private static final UUID TENANT = UUID.fromString("0b1e5c1a-7e57-4c1a-9a55-00000000abcd");

	private static final String PARAMETER = "Parameter 'cursor'";

	@Test
	void aCursorReadsBackAsTheSamePositionOfTheSameTenantAndFeed() {
		FeedCursor cursor = new FeedCursor(FeedCursor.Kind.EVENTS, TENANT, 8123, 4471);
		String text = cursor.encode();
		assertThat(text).matches("[A-Za-z0-9_-]{46}");
		assertThat(FeedCursor.decode(text, FeedCursor.Kind.EVENTS, TENANT, PARAMETER)).isEqualTo(cursor);
		assertThat(FeedCursor.decode(" " + text + " ", FeedCursor.Kind.EVENTS, TENANT, PARAMETER)).isEqualTo(cursor);
	}

	@Test
	void malformedTextAndAnotherTenantsCursorAreRefusedAlike() {
		String theirs = new FeedCursor(FeedCursor.Kind.EVENTS, UUID.randomUUID(), 5, 6).encode();
		String malformedMessage = message("not a cursor");
		assertThat(message(theirs)).isEqualTo(malformedMessage).startsWith(PARAMETER);
		assertThat(message("")).isEqualTo(malformedMessage);
		assertThat(message("8123.4471")).isEqualTo(malformedMessage);
		assertThat(message("A".repeat(5000))).isEqualTo(malformedMessage);
		String mine = new FeedCursor(FeedCursor.Kind.EVENTS, TENANT, 5, 6).encode();
		assertThat(message(mine.substring(0, 45))).isEqualTo(malformedMessage);
		assertThat(message(mine.substring(0, 44) + "!!")).isEqualTo(malformedMessage);
	}

	@Test
	void aCursorOfTheOtherFeedIsRefusedNamingBothFeeds() {
		String changes = new FeedCursor(FeedCursor.Kind.CHANGES, TENANT, 5, 6).encode();
		assertThat(message(changes))
			.isEqualTo("Parameter 'cursor' is a cursor of the session changes feed, not of the session events feed.");
	}

	@Test
	void aPositionNoTransactionHasReachedIsRefused() {
		FeedCursor cursor = new FeedCursor(FeedCursor.Kind.EVENTS, TENANT, 1000, 1);
		cursor.requireGivenOut(1001, PARAMETER);
		FeedCursor.before(FeedCursor.Kind.EVENTS, TENANT, 1001).requireGivenOut(1001, PARAMETER);
		assertThatThrownBy(() -> cursor.requireGivenOut(1000, PARAMETER)).isInstanceOf(InvalidRequest.class)
			.hasMessageContaining("points past the newest position");
	}

	@Test
	void aPositionBeforeWhatIsStillHeldIsGone() {
		FeedCursor purged = new FeedCursor(FeedCursor.Kind.EVENTS, TENANT, 900, 50);
		new FeedCursor(FeedCursor.Kind.EVENTS, TENANT, 900, 50).requireRetained(purged, PARAMETER);
		new FeedCursor(FeedCursor.Kind.EVENTS, TENANT, 901, 1).requireRetained(purged, PARAMETER);
		new FeedCursor(FeedCursor.Kind.EVENTS, TENANT, 1, 1).requireRetained(null, PARAMETER);
		assertThatThrownBy(
				() -> new FeedCursor(FeedCursor.Kind.EVENTS, TENANT, 900, 49).requireRetained(purged, PARAMETER))
			.isInstanceOfSatisfying(CursorExpired.class, (gone) -> assertThat(gone.toError().status()).isEqualTo(410));
	}

	@Test
	void beforeTheFirstTransactionIsTheStart() {
		assertThat(FeedCursor.before(FeedCursor.Kind.CHANGES, TENANT, 0))
			.isEqualTo(FeedCursor.start(FeedCursor.Kind.CHANGES, TENANT));
		assertThat(FeedCursor.before(FeedCursor.Kind.CHANGES, TENANT, 10))
			.isEqualTo(new FeedCursor(FeedCursor.Kind.CHANGES, TENANT, 9, Long.MAX_VALUE));
	}

	private static String message(String text) {
		try {
			FeedCursor.decode(text, FeedCursor.Kind.EVENTS, TENANT, PARAMETER);
		}
		catch (InvalidRequest ex) {
			return ex.getMessage();
		}
		throw new AssertionError("accepted: " + text);
	}

}
