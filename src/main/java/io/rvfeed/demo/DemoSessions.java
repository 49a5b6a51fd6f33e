package io.rvfeed.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.rvfeed.session.EventRow;
import io.rvfeed.session.SessionRow;
import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;

/**
 * Realistic made-up sessions: a fleet of named devices, a few console users, every state,
 * both qualities, failures with reasons and durations from seconds to hours, each with
 * the event timeline that produced it.
 */
final class DemoSessions {

	private static final String[] DEVICE_KINDS = { "POS-Terminal", "Warehouse-Scanner", "Lobby-Kiosk",
			"Delivery-Tablet", "Digital-Signage", "Clinic-Tablet", "Shelf-Scanner", "Ticket-Kiosk" };

	private static final String[] SITES = { "Austin", "Berlin", "Chennai", "Denver", "Lyon", "Osaka", "Seattle",
			"São Paulo" };

	private static final String[] CONSOLE_USERS = { "alice.nguyen@acme.example", "bob.meyer@acme.example",
			"carla.diaz@acme.example", "deepak.rao@acme.example", "support-bot", "eve.okafor@acme.example" };

	private static final String[] FAILURE_REASONS = { "Device did not acknowledge within 30 s", "Device went offline",
			"Remote viewer agent is not installed on the device", "User on the device denied screen sharing",
			"Network timeout while negotiating the stream", "Device rebooted during the session",
			"Video encoder is not supported on this device" };

	private static final String[] END_REASONS = { "Ended by console user", "Session idle timeout",
			"Ended by the user on the device", "Console browser tab closed" };

	private static final int[] DEVICE_STATES = { 1, 1, 1, 1, 1, 1, 60, 60, 20, 100 };

	private final Random random;

	private final UUID tenantId;

	private final Instant now;

	private final List<UUID> devices = new ArrayList<>();

	private final List<String> deviceNames = new ArrayList<>();

	final List<SessionRow> sessions = new ArrayList<>();

	final List<EventRow> events = new ArrayList<>();

	DemoSessions(UUID tenantId, Instant now, long seed) {
		this.random = new Random(seed);
		this.tenantId = tenantId;
		this.now = now.truncatedTo(ChronoUnit.MICROS);
		for (int i = 0; i < 400; i++) {
			this.devices.add(randomUuid());
			this.deviceNames.add(pick(DEVICE_KINDS) + "-" + String.format("%04d", 1 + this.random.nextInt(9999)));
		}
	}

	DemoSessions generate(int count) {
		for (int i = 0; i < count; i++) {
			addSession();
		}
		return this;
	}

	private void addSession() {
		int device = this.random.nextInt(this.devices.size());
		UUID sessionId = UUID.randomUUID();
		String by = pick(CONSOLE_USERS);
		Instant created = this.now.minusSeconds(60 + this.random.nextInt(45 * 86_400))
			.plusNanos(this.random.nextInt(1_000_000) * 1000L);
		List<EventRow> timeline = new ArrayList<>();
		timeline.add(event(sessionId, SessionState.INITIATED, created, null, by));
		Instant acknowledged = created.plusMillis(300 + this.random.nextInt(4000));
		Instant active = acknowledged.plusMillis(500 + this.random.nextInt(8000));
		Instant ended = active.plus(sessionLength());
		int roll = this.random.nextInt(100);
		SessionState state;
		if (roll < 62) {
			state = SessionState.TERMINATED;
			timeline.add(event(sessionId, SessionState.ACKNOWLEDGED, acknowledged, null, "device"));
			timeline.add(event(sessionId, SessionState.ACTIVE, active, null, "device"));
			timeline.add(event(sessionId, SessionState.TERMINATED, ended,
					(this.random.nextInt(4) == 0) ? null : pick(END_REASONS), by));
		}
		else if (roll < 80) {
			state = SessionState.FAILED;
			int stage = this.random.nextInt(3);
			Instant failedAt = (stage == 0) ? created.plusSeconds(30)
					: (stage == 1) ? acknowledged.plusSeconds(10) : ended;
			if (stage >= 1) {
				timeline.add(event(sessionId, SessionState.ACKNOWLEDGED, acknowledged, null, "device"));
			}
			if (stage == 2) {
				timeline.add(event(sessionId, SessionState.ACTIVE, active, null, "device"));
			}
			timeline.add(event(sessionId, SessionState.FAILED, failedAt, pick(FAILURE_REASONS), "device"));
		}
		else if (roll < 88) {
			state = SessionState.ACTIVE;
			timeline.add(event(sessionId, SessionState.ACKNOWLEDGED, acknowledged, null, "device"));
			timeline.add(event(sessionId, SessionState.ACTIVE, active, null, "device"));
		}
		else if (roll < 94) {
			state = SessionState.ACKNOWLEDGED;
			timeline.add(event(sessionId, SessionState.ACKNOWLEDGED, acknowledged, null, "device"));
		}
		else {
			state = SessionState.INITIATED;
		}
		EventRow last = timeline.get(timeline.size() - 1);
		String reason = timeline.stream()
			.map(EventRow::reason)
			.filter((r) -> r != null)
			.reduce((a, b) -> b)
			.orElse(null);
		Instant startedAt = timeline.stream()
			.filter((e) -> e.state() == SessionState.ACTIVE)
			.map(EventRow::occurredAt)
			.findFirst()
			.orElse(null);
		Instant endedAt = last.state().isTerminal() ? last.occurredAt() : null;
		this.sessions.add(new SessionRow(this.tenantId, sessionId, this.devices.get(device),
				this.deviceNames.get(device) + " " + SITES[device % SITES.length],
				(this.random.nextInt(3) == 0) ? null : "Till " + (1 + device % 12), pick(DEVICE_STATES), state,
				(this.random.nextInt(4) == 0) ? VideoQuality.DATA_SAVER : VideoQuality.STANDARD, reason, by,
				last.updatedBy(), created, last.occurredAt(), startedAt, endedAt));
		this.events.addAll(timeline);
	}

	/**
	 * A version 4 UUID from the seeded generator, so demo data is the same on every run.
	 */
	private UUID randomUuid() {
		long high = (this.random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (this.random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low);
	}

	/** Mostly minutes, some seconds, a few hours: log-uniform from 2 s to 5 h. */
	private Duration sessionLength() {
		double seconds = Math.exp(Math.log(2) + this.random.nextDouble() * (Math.log(5 * 3600) - Math.log(2)));
		return Duration.ofMillis((long) (seconds * 1000));
	}

	private EventRow event(UUID sessionId, SessionState state, Instant at, String reason, String by) {
		return new EventRow(this.tenantId, UUID.randomUUID(), sessionId, state, at, at.plusMillis(40), reason, by);
	}

	private String pick(String[] values) {
		return values[this.random.nextInt(values.length)];
	}

	private int pick(int[] values) {
		return values[this.random.nextInt(values.length)];
	}

}
