package io.rvfeed.events;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.auth.Scope;
import io.rvfeed.web.CursorPages;
import io.rvfeed.web.FeedCursor;

/**
 * {@code GET /api/v2/rv-session-events/}: every lifecycle event recorded for the tenant
 * (each session's creation as INITIATED), in commit order, by cursor. A reader that
 * follows {@code next_cursor} gets each event exactly once, however transactions
 * interleave; with nothing new it gets an empty page and the same cursor.
 */
@RestController
class EventsController {

	private final EventFeedRepository events;

	private final EventCursors cursors;

	EventsController(EventFeedRepository events, EventCursors cursors) {
		this.events = events;
		this.cursors = cursors;
	}

	@GetMapping(path = { "/api/v2/rv-session-events/", "/api/v2/rv-session-events" }, produces = "application/json")
	EventsPage events(@AuthenticationPrincipal ApiPrincipal caller, HttpServletRequest request,
			HttpServletResponse response) {
		caller.requireScope(Scope.FEED_READ);
		EventRequest parsed = EventRequest.parse(request.getParameterMap(), List.of());
		FeedCursor from = this.cursors.from(caller.tenantId(), parsed);
		List<EventRecord> page = this.events.page(parsed.query(), from, parsed.limit() + 1);
		boolean hasMore = page.size() > parsed.limit();
		List<EventRecord> results = hasMore ? page.subList(0, parsed.limit()) : page;
		String next = results.isEmpty() ? from.encode() : results.get(results.size() - 1).cursor();
		response.setHeader(HttpHeaders.LINK, CursorPages.linkHeader(request, next));
		return new EventsPage(new EventsPage.Content(results, next, hasMore));
	}

}
