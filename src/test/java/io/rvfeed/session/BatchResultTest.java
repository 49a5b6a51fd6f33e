package io.rvfeed.session;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.rvfeed.session.SessionService.ItemOutcome;
import io.rvfeed.session.SessionService.Result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The batch answer: invalid items and the use case's outcomes merged in request order.
 */
class BatchResultTest {

	private final UUID session = UUID.randomUUID();

	private NewEvent event() {
		return new NewEvent(this.session, UUID.randomUUID(), SessionState.ACTIVE, null, null, null);
	}

	private SessionRequests.BatchItem valid(NewEvent event) {
		return new SessionRequests.BatchItem(event, List.of(), event.sessionId(), event.eventId());
	}

	@Test
	void itemsKeepTheirPlaceAndGetTheirResultsStatus() {
		NewEvent applied = event();
		NewEvent refused = event();
		NewEvent failed = event();
		UUID madeUp = UUID.randomUUID();
		List<SessionRequests.BatchItem> items = List.of(
				valid(applied), new SessionRequests.BatchItem(null,
						List.of("field 'state' is required.", "field 'x' is unknown."), this.session, null),
				valid(refused), valid(failed));
		List<ItemOutcome> outcomes = List.of(ItemOutcome.recorded(Result.APPLIED, applied, madeUp),
				ItemOutcome.refused(refused,
						new SessionAlreadyEnded(this.session, SessionState.FAILED, SessionState.TERMINATED)),
				ItemOutcome.failed(failed));

		BatchResult answer = BatchResult.of(items, outcomes);

		assertThat(answer.results())
			.extracting(BatchResult.ItemResult::index, BatchResult.ItemResult::result, BatchResult.ItemResult::status,
					BatchResult.ItemResult::eventId)
			.containsExactly(tuple(0, "applied", 201, madeUp), tuple(1, "invalid", 400, null),
					tuple(2, "conflict", 409, refused.eventId()), tuple(3, "error", 500, failed.eventId()));
		assertThat(answer.results()).extracting(BatchResult.ItemResult::message)
			.containsExactly("Recorded.", "field 'state' is required. field 'x' is unknown.", "Session " + this.session
					+ " already ended as FAILED; a TERMINATED event contradicts that and " + "was not recorded.",
					"Internal error; this item was not recorded.");
		assertThat(answer.counts()).containsExactly(entry("applied", 1), entry("duplicate", 0), entry("conflict", 1),
				entry("invalid", 1), entry("not_found", 0), entry("error", 1));
	}

	@Test
	void aDuplicateIsAnsweredOkAndANotFoundWithItsReason() {
		NewEvent duplicate = event();
		NewEvent unknown = event();
		BatchResult answer = BatchResult.of(List.of(valid(duplicate), valid(unknown)),
				List.of(ItemOutcome.recorded(Result.DUPLICATE, duplicate, duplicate.eventId()),
						ItemOutcome.refused(unknown, new SessionNotFound(this.session))));
		assertThat(answer.results()).extracting(BatchResult.ItemResult::status, BatchResult.ItemResult::message)
			.containsExactly(tuple(200, "Already recorded; nothing changed."),
					tuple(404, "Session " + this.session + " was not found."));
	}

	@Test
	void everyResultHasAStatus() {
		for (Result result : Result.values()) {
			assertThat(SessionController.status(result)).isNotNull();
		}
		assertThat(SessionController.status(Result.APPLIED).value()).isEqualTo(201);
		assertThat(SessionController.status(Result.DUPLICATE).value()).isEqualTo(200);
	}

}
