package io.rvfeed.support;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

import io.rvfeed.session.EventRow;
import io.rvfeed.session.SessionRepository;
import io.rvfeed.session.SessionRow;
import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;
import io.rvfeed.support.TestTenants.TestTenant;

/**
 * Builds {@link SessionRow}s for tests and inserts them with the service's own SQL
 * ({@link SessionRepository#insertAll}). Times are whole microseconds, as PostgreSQL
 * stores them, so what a test inserts is exactly what the feed can return.
 */
@Component
public class SessionFixtures {

	/** The default creation time of the first session a builder makes. */
	public static final Instant BASE = Instant.parse("2024-03-01T10:00:00Z");

	private final SessionRepository sessions;

	private final AtomicInteger sequence = new AtomicInteger();

	SessionFixtures(SessionRepository sessions) {
		this.sessions = sessions;
	}

	/**
	 * A new session of the tenant with defaults: a fresh id and device, INITIATED,
	 * STANDARD, created one second after the builder made before it.
	 */
	public Builder session(TestTenant tenant) {
		return new Builder(tenant.id(), this.sequence.incrementAndGet());
	}

	public List<SessionRow> insert(Builder... builders) {
		return insert(Arrays.stream(builders).map(Builder::build).toList());
	}

	public List<SessionRow> insert(Collection<SessionRow> rows) {
		List<EventRow> events = new ArrayList<>();
		rows.forEach((row) -> events.addAll(eventsFor(row)));
		this.sessions.insertAll(rows, events);
		return List.copyOf(rows);
	}

	/**
	 * A plausible event history of a session: INITIATED at creation, ACTIVE at its start
	 * and its final state at its end.
	 */
	public static List<EventRow> eventsFor(SessionRow row) {
		List<EventRow> events = new ArrayList<>();
		events.add(event(row, SessionState.INITIATED, row.createdAt()));
		if (row.startedAt() != null) {
			events.add(event(row, SessionState.ACTIVE, row.startedAt()));
		}
		if (row.endedAt() != null && row.state().isTerminal()) {
			events.add(event(row, row.state(), row.endedAt()));
		}
		return events;
	}

	private static EventRow event(SessionRow row, SessionState state, Instant at) {
		return new EventRow(row.tenantId(), UUID.randomUUID(), row.sessionId(), state, at, at, row.reason(),
				row.updatedBy());
	}

	/** Microseconds from start to end, as the database computes it, or null. */
	public static Long durationMicros(SessionRow row) {
		if (row.startedAt() == null || row.endedAt() == null || row.endedAt().isBefore(row.startedAt())) {
			return null;
		}
		return ChronoUnit.MICROS.between(row.startedAt(), row.endedAt());
	}

	public static final class Builder {

		private final UUID tenantId;

		private UUID sessionId = UUID.randomUUID();

		private UUID deviceId = UUID.randomUUID();

		private String deviceName;

		private String deviceAlias;

		private Integer deviceState;

		private SessionState state = SessionState.INITIATED;

		private VideoQuality videoQuality = VideoQuality.STANDARD;

		private String reason;

		private String createdBy;

		private String updatedBy;

		private Instant createdAt;

		private Instant updatedAt;

		private Instant startedAt;

		private Instant endedAt;

		Builder(UUID tenantId, int number) {
			this.tenantId = tenantId;
			this.deviceName = "Device " + number;
			this.createdAt = BASE.plusSeconds(number);
		}

		public Builder sessionId(UUID sessionId) {
			this.sessionId = sessionId;
			return this;
		}

		public Builder deviceId(UUID deviceId) {
			this.deviceId = deviceId;
			return this;
		}

		public Builder deviceName(String deviceName) {
			this.deviceName = deviceName;
			return this;
		}

		public Builder deviceAlias(String deviceAlias) {
			this.deviceAlias = deviceAlias;
			return this;
		}

		public Builder deviceState(Integer deviceState) {
			this.deviceState = deviceState;
			return this;
		}

		public Builder state(SessionState state) {
			this.state = state;
			return this;
		}

		public Builder videoQuality(VideoQuality videoQuality) {
			this.videoQuality = videoQuality;
			return this;
		}

		public Builder reason(String reason) {
			this.reason = reason;
			return this;
		}

		public Builder createdBy(String createdBy) {
			this.createdBy = createdBy;
			return this;
		}

		public Builder updatedBy(String updatedBy) {
			this.updatedBy = updatedBy;
			return this;
		}

		public Builder createdAt(Instant createdAt) {
			this.createdAt = micros(createdAt);
			return this;
		}

		public Builder updatedAt(Instant updatedAt) {
			this.updatedAt = micros(updatedAt);
			return this;
		}

		public Builder startedAt(Instant startedAt) {
			this.startedAt = micros(startedAt);
			return this;
		}

		public Builder endedAt(Instant endedAt) {
			this.endedAt = micros(endedAt);
			return this;
		}

		/**
		 * Went ACTIVE one second after creation and ended (TERMINATED unless the state is
		 * already final) after the given duration.
		 */
		public Builder duration(Duration duration) {
			if (!this.state.isTerminal()) {
				this.state = SessionState.TERMINATED;
			}
			this.startedAt = this.createdAt.plusSeconds(1);
			this.endedAt = micros(this.startedAt.plus(duration));
			return this;
		}

		public SessionRow build() {
			Instant updated = this.updatedAt;
			if (updated == null) {
				updated = (this.endedAt != null) ? this.endedAt : this.createdAt;
			}
			return new SessionRow(this.tenantId, this.sessionId, this.deviceId, this.deviceName, this.deviceAlias,
					this.deviceState, this.state, this.videoQuality, this.reason, this.createdBy, this.updatedBy,
					this.createdAt, updated, this.startedAt, this.endedAt);
		}

		private static Instant micros(Instant instant) {
			if (instant != null && instant.getNano() % 1000 != 0) {
				throw new IllegalArgumentException("PostgreSQL keeps whole microseconds: " + instant);
			}
			return instant;
		}

	}

}
