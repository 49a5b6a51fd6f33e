package io.rvfeed.stats;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.auth.Scope;

/** {@code GET /api/v2/rv-activity-stats/}: exact statistics of the tenant's sessions. */
@RestController
class StatsController {

	private final StatsRepository stats;

	private final StatsLimits limits;

	StatsController(StatsRepository stats, StatsLimits limits) {
		this.stats = stats;
		this.limits = limits;
	}

	@GetMapping(path = { "/api/v2/rv-activity-stats/", "/api/v2/rv-activity-stats" }, produces = "application/json")
	StatsPage stats(@AuthenticationPrincipal ApiPrincipal caller, HttpServletRequest request) {
		caller.requireScope(Scope.FEED_READ);
		StatsQuery query = StatsQueryParser.parse(request.getParameterMap());
		return new StatsPage(this.limits.run(caller.tenantId(), () -> this.stats.read(caller.tenantId(), query)));
	}

}
