package io.rvfeed.session;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventLedgerTest {

	private static final UUID TENANT = UUID.randomUUID();

	private static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");

	private static final Instant NOW = Instant.parse("2026-03-02T00:00:00Z");

	private final UUID session = UUID.randomUUID();

	private final UUID other = UUID.randomUUID();

	private EventLedger ledger() {
		return new EventLedger(
				List.of(row(this.session, SessionState.INITIATED), row(this.other, SessionState.INITIATED)),
				List.of(created(this.session), created(this.other)));
	}

	private static SessionRow row(UUID sessionId, SessionState state) {
		return new SessionRow(TENANT, sessionId, UUID.randomUUID(), "Device", null, null, state, VideoQuality.STANDARD,
				null, "key", "key", CREATED, CREATED, null, null);
	}

	private static EventRow created(UUID sessionId) {
		return new EventRow(TENANT, UUID.randomUUID(), sessionId, SessionState.INITIATED, CREATED, CREATED, null,
				"key");
	}

	private static NewEvent event(UUID sessionId, UUID eventId, SessionState state, String at) {
		return new NewEvent(sessionId, eventId, state, (at != null) ? Instant.parse(at) : null, null, null);
	}

	private EventLedger.Entry record(EventLedger ledger, NewEvent event) {
		return ledger.record(TENANT, event, "caller", NOW);
	}

	@Test
	void aLaterEventSeesAnEarlierOneWithItsId() {
		EventLedger ledger = ledger();
		UUID id = UUID.randomUUID();
		EventLedger.Entry first = record(ledger, event(this.session, id, SessionState.ACTIVE, null));
		assertThat(first.duplicate()).isFalse();
		assertThat(first.event().occurredAt()).isEqualTo(NOW);
		assertThat(first.event().updatedBy()).isEqualTo("caller");
		EventLedger.Entry again = record(ledger, event(this.session, id, SessionState.ACTIVE, null));
		assertThat(again.duplicate()).isTrue();
		assertThat(again.event()).isSameAs(first.event());
		assertThatThrownBy(() -> record(ledger, event(this.session, id, SessionState.FAILED, null)))
			.isInstanceOf(EventIdConflict.class)
			.hasMessageContaining("different state");
		assertThatThrownBy(() -> record(ledger, event(this.other, id, SessionState.ACTIVE, null)))
			.isInstanceOf(EventIdConflict.class)
			.hasMessageContaining("different session");
		assertThat(ledger.added()).containsExactly(first.event());
	}

	@Test
	void anEndRecordedInTheLedgerRefusesTheOtherEnd() {
		EventLedger ledger = ledger();
		record(ledger, event(this.session, null, SessionState.TERMINATED, "2026-03-01T10:05:00Z"));
		assertThatThrownBy(() -> record(ledger, event(this.session, null, SessionState.FAILED, null)))
			.isInstanceOf(SessionAlreadyEnded.class)
			.hasMessageContaining("already ended as TERMINATED");
		assertThat(record(ledger, event(this.session, null, SessionState.TERMINATED, null)).duplicate()).isFalse();
		assertThat(record(ledger, event(this.other, null, SessionState.FAILED, null)).duplicate()).isFalse();
	}

	@Test
	void aSessionThatIsNotLockedIsNotFound() {
		UUID unknown = UUID.randomUUID();
		assertThatThrownBy(() -> record(ledger(), event(unknown, null, SessionState.ACTIVE, null)))
			.isInstanceOf(SessionNotFound.class);
	}

	@Test
	void outcomesFoldEverySessionThatGotAnEventInArrivalOrder() {
		EventLedger ledger = ledger();
		record(ledger, event(this.session, null, SessionState.TERMINATED, "2026-03-01T10:05:00Z"));
		record(ledger, event(this.session, null, SessionState.ACTIVE, "2026-03-01T10:01:00Z"));
		record(ledger, event(this.session, null, SessionState.ACTIVE, "2026-03-01T10:02:00Z"));
		assertThat(ledger.outcomes()).containsOnlyKeys(this.session);
		SessionLifecycle.Outcome outcome = ledger.outcomes().get(this.session);
		assertThat(outcome.state()).isEqualTo(SessionState.TERMINATED);
		assertThat(outcome.startedAt()).isEqualTo(Instant.parse("2026-03-01T10:01:00Z"));
		assertThat(outcome.endedAt()).isEqualTo(Instant.parse("2026-03-01T10:05:00Z"));
		assertThat(ledger.added()).hasSize(3);
	}

}
