package io.rvfeed.feed;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.auth.Scope;

/** Esper's {@code GET /api/v2/rv-activity-feed/}: one page of the tenant's sessions. */
@RestController
class FeedController {

	private final FeedRepository feed;

	FeedController(FeedRepository feed) {
		this.feed = feed;
	}

	@GetMapping(path = { "/api/v2/rv-activity-feed/", "/api/v2/rv-activity-feed" }, produces = "application/json")
	FeedPage feed(@AuthenticationPrincipal ApiPrincipal caller, HttpServletRequest request) {
		caller.requireScope(Scope.FEED_READ);
		PageLinks links = PageLinks.of(request);
		FeedQuery query = FeedQueryParser.parse(request.getParameterMap());
		FeedRepository.Slice slice = this.feed.read(caller.tenantId(), query);
		return new FeedPage(new FeedPage.Content(slice.count(), links.previous(query.offset(), query.limit()),
				links.next(slice.count(), query.offset(), query.limit()), slice.items()));
	}

}
