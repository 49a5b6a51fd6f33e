package io.rvfeed.feed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.auth.Scope;
import io.rvfeed.web.CursorPages;
import io.rvfeed.web.InvalidRequest;
import io.rvfeed.web.Rfc3339;

/**
 * {@code GET /api/v2/rv-activity-feed/changes}: the tenant's session changes in commit
 * order, by cursor, with the feed's filters. A reader that follows {@code next_cursor}
 * sees every committed change exactly once (a session that changes again comes again, at
 * its new position), however transactions interleave: positions are only handed out once
 * every transaction that could commit behind them has ended.
 */
@RestController
class FeedChangesController {

	private final ChangesRepository changes;

	private final ChangeCursors cursors;

	FeedChangesController(ChangesRepository changes, ChangeCursors cursors) {
		this.changes = changes;
		this.cursors = cursors;
	}

	@GetMapping(path = { "/api/v2/rv-activity-feed/changes", "/api/v2/rv-activity-feed/changes/" },
			produces = "application/json")
	ChangesPage changes(@AuthenticationPrincipal ApiPrincipal caller, HttpServletRequest request,
			HttpServletResponse response) {
		caller.requireScope(Scope.FEED_READ);
		UUID tenantId = caller.tenantId();
		Map<String, String[]> parameters = request.getParameterMap();
		List<String> problems = new ArrayList<>();
		int limit = CursorPages.limit(parameters, problems);
		CursorPages.refuse(parameters, problems, "ordering", "offset");
		String cursor = CursorPages.single(parameters, "cursor", problems);
		String since = CursorPages.single(parameters, "since", problems);
		if (cursor != null && since != null) {
			problems.add("Parameters 'cursor' and 'since' cannot be given together: since starts a reading, "
					+ "cursor goes on with one.");
		}
		Instant sinceTime = null;
		if (since != null) {
			try {
				sinceTime = Rfc3339.parse(since.strip());
			}
			catch (IllegalArgumentException ex) {
				problems.add("Parameter 'since' " + ex.getMessage() + ".");
			}
		}
		FeedQuery query = null;
		try {
			query = FeedQueryParser.parse(CursorPages.filters(parameters, "ordering", "offset"));
		}
		catch (InvalidRequest ex) {
			problems.addAll(ex.toError().errors());
		}
		if (!problems.isEmpty()) {
			throw new InvalidRequest(problems);
		}
		ChangePosition from = (cursor != null) ? this.cursors.resume(tenantId, cursor, "Parameter 'cursor'")
				: (sinceTime != null) ? this.cursors.since(tenantId, sinceTime) : ChangeCursors.start();
		List<ChangesRepository.Change> changes = this.changes.after(tenantId, query, from, limit + 1);
		boolean hasMore = changes.size() > limit;
		List<ChangesPage.Change> results = changes.stream()
			.limit(limit)
			.map((change) -> new ChangesPage.Change(change.session(),
					ChangeCursors.encode(tenantId, change.position())))
			.toList();
		String next = results.isEmpty() ? ChangeCursors.encode(tenantId, from)
				: results.get(results.size() - 1).cursor();
		response.setHeader(HttpHeaders.LINK, CursorPages.linkHeader(request, next));
		return new ChangesPage(new ChangesPage.Content(results, next, hasMore));
	}

}
