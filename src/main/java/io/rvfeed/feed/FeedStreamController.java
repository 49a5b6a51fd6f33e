package io.rvfeed.feed;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.auth.Scope;

/**
 * {@code GET /api/v2/rv-activity-feed/stream}: the tenant's session changes as
 * server-sent events, with the feed's filters. Each event is a session as the feed shows
 * it; its id lets a client resume with {@code Last-Event-ID} (or {@code last_event_id})
 * without missing a change.
 */
@RestController
class FeedStreamController {

	private final FeedStreams streams;

	private final ChangeCursors cursors;

	FeedStreamController(FeedStreams streams, ChangeCursors cursors) {
		this.streams = streams;
		this.cursors = cursors;
	}

	@GetMapping(path = { "/api/v2/rv-activity-feed/stream", "/api/v2/rv-activity-feed/stream/" },
			produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	void stream(@AuthenticationPrincipal ApiPrincipal caller, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		caller.requireScope(Scope.FEED_READ);
		FeedQuery query = FeedQueryParser.parse(request.getParameterMap());
		String resume = request.getHeader("Last-Event-ID");
		String named = "Header 'Last-Event-ID'";
		if (resume == null || resume.isBlank()) {
			resume = request.getParameter("last_event_id");
			named = "Parameter 'last_event_id'";
		}
		ChangePosition after = null;
		if (resume != null && !resume.isBlank()) {
			after = this.cursors.resume(caller.tenantId(), resume, named);
		}
		this.streams.open(caller, query, after, request, response);
	}

}
