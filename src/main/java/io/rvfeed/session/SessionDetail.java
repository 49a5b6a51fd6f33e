package io.rvfeed.session;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.jspecify.annotations.Nullable;

/** One session as the feed shows it, with its full event timeline. */
record SessionDetail(@JsonUnwrapped FeedItem session, List<TimelineEvent> events) {

	record TimelineEvent(UUID eventId, String state, String occurredAt, String receivedAt, @Nullable String reason,
			@Nullable String by) {

		static TimelineEvent of(EventRow event) {
			return new TimelineEvent(event.eventId(), event.state().name(), event.occurredAt().toString(),
					event.receivedAt().toString(), event.reason(), event.updatedBy());
		}

	}

}
