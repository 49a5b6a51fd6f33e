package io.rvfeed.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The lifecycle fold: what a session looks like given its events, in arrival order. */
class SessionLifecycleTest {

	private static final UUID TENANT = UUID.randomUUID();

	private static final UUID SESSION = UUID.randomUUID();

	private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

	private static EventRow event(SessionState state, int second, String reason, String by) {
		return new EventRow(TENANT, UUID.randomUUID(), SESSION, state, T0.plusSeconds(second), T0, reason, by);
	}

	private static EventRow event(SessionState state, int second) {
		return event(state, second, null, null);
	}

	private static SessionLifecycle.Outcome fold(EventRow... events) {
		return SessionLifecycle.fold(List.of(events));
	}

	@Test
	void aNewSessionIsInitiatedAtItsCreation() {
		SessionLifecycle.Outcome outcome = fold(event(SessionState.INITIATED, 0, null, "alice"));
		assertThat(outcome)
			.isEqualTo(new SessionLifecycle.Outcome(SessionState.INITIATED, T0, null, null, null, "alice"));
	}

	@Test
	void stagesMoveForwardAndMaySkip() {
		SessionLifecycle.Outcome outcome = fold(event(SessionState.INITIATED, 0), event(SessionState.ACTIVE, 5),
				event(SessionState.TERMINATED, 65, "Ended by console user", "bob"));
		assertThat(outcome.state()).isEqualTo(SessionState.TERMINATED);
		assertThat(outcome.startedAt()).isEqualTo(T0.plusSeconds(5));
		assertThat(outcome.endedAt()).isEqualTo(T0.plusSeconds(65));
		assertThat(outcome.updatedAt()).isEqualTo(T0.plusSeconds(65));
		assertThat(outcome.reason()).isEqualTo("Ended by console user");
		assertThat(outcome.updatedBy()).isEqualTo("bob");
	}

	@Test
	void aLateEarlierStageKeepsTheStateButRecordsItsTime() {
		SessionLifecycle.Outcome outcome = fold(event(SessionState.INITIATED, 0), event(SessionState.TERMINATED, 60),
				event(SessionState.ACTIVE, 5));
		assertThat(outcome.state()).isEqualTo(SessionState.TERMINATED);
		assertThat(outcome.startedAt()).isEqualTo(T0.plusSeconds(5));
		assertThat(outcome.updatedAt()).isEqualTo(T0.plusSeconds(60));
	}

	@Test
	void aRepeatedStageCountsOnceTheFirstToArriveWins() {
		SessionLifecycle.Outcome outcome = fold(event(SessionState.INITIATED, 0), event(SessionState.ACTIVE, 5),
				event(SessionState.ACTIVE, 90, "again", "mallory"));
		assertThat(outcome.startedAt()).isEqualTo(T0.plusSeconds(5));
		assertThat(outcome.updatedAt()).isEqualTo(T0.plusSeconds(5));
		assertThat(outcome.reason()).isNull();
		assertThat(outcome.updatedBy()).isNull();
	}

	@Test
	void theFirstTerminalStateToArriveEndsTheSession() {
		SessionLifecycle.Outcome outcome = fold(event(SessionState.INITIATED, 0), event(SessionState.FAILED, 30),
				event(SessionState.TERMINATED, 20));
		assertThat(outcome.state()).isEqualTo(SessionState.FAILED);
		assertThat(outcome.endedAt()).isEqualTo(T0.plusSeconds(30));
	}

	@Test
	void reasonAndUpdatedByComeFromTheLatestEventCarryingThemThenTheLatestArrival() {
		SessionLifecycle.Outcome outcome = fold(event(SessionState.INITIATED, 0, null, "alice"),
				event(SessionState.FAILED, 50, "Device went offline", "device"),
				event(SessionState.ACKNOWLEDGED, 10, "late ack", null));
		assertThat(outcome.reason()).isEqualTo("Device went offline");
		assertThat(outcome.updatedBy()).isEqualTo("device");
		SessionLifecycle.Outcome tie = fold(event(SessionState.INITIATED, 0),
				event(SessionState.ACTIVE, 10, "first", "a"), event(SessionState.ACKNOWLEDGED, 10, "second", "b"));
		assertThat(tie.reason()).isEqualTo("second");
		assertThat(tie.updatedBy()).isEqualTo("b");
	}

	@Test
	void apartFromRepeatsTheArrivalOrderDoesNotMatter() {
		List<EventRow> events = List.of(event(SessionState.INITIATED, 0, null, "alice"),
				event(SessionState.ACKNOWLEDGED, 3, null, "device"),
				event(SessionState.ACTIVE, 7, "streaming", "device"),
				event(SessionState.TERMINATED, 70, "Ended by console user", "alice"));
		SessionLifecycle.Outcome expected = SessionLifecycle.fold(events);
		for (List<EventRow> order : permutations(events)) {
			assertThat(SessionLifecycle.fold(order)).as(order.toString()).isEqualTo(expected);
		}
	}

	@Test
	void aSessionWithoutEventsIsAnError() {
		assertThatIllegalArgumentException().isThrownBy(() -> SessionLifecycle.fold(List.of()));
	}

	@Test
	void onlyTheOtherTerminalStateContradictsAnEnd() {
		assertThat(SessionLifecycle.contradictsEnd(SessionState.TERMINATED, SessionState.FAILED)).isTrue();
		assertThat(SessionLifecycle.contradictsEnd(SessionState.FAILED, SessionState.TERMINATED)).isTrue();
		assertThat(SessionLifecycle.contradictsEnd(SessionState.FAILED, SessionState.FAILED)).isFalse();
		assertThat(SessionLifecycle.contradictsEnd(SessionState.TERMINATED, SessionState.ACTIVE)).isFalse();
		assertThat(SessionLifecycle.contradictsEnd(SessionState.ACTIVE, SessionState.FAILED)).isFalse();
	}

	private static List<List<EventRow>> permutations(List<EventRow> events) {
		if (events.size() <= 1) {
			return List.of(events);
		}
		List<List<EventRow>> all = new ArrayList<>();
		for (int i = 0; i < events.size(); i++) {
			List<EventRow> rest = new ArrayList<>(events);
			EventRow first = rest.remove(i);
			for (List<EventRow> tail : permutations(rest)) {
				List<EventRow> order = new ArrayList<>();
				order.add(first);
				order.addAll(tail);
				all.add(order);
			}
		}
		return all;
	}

}
