package io.rvfeed.feed;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.Condition;
import org.jspecify.annotations.Nullable;

import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;

/**
 * The feed's filters for other read endpoints (the statistics): the same parameters, read
 * by the same rules ({@link FeedQueryParser}) into the same {@code WHERE} conditions
 * ({@link FeedConditions}), so that a filter selects exactly the rows the feed shows.
 * Paging and ordering parameters ({@code limit}, {@code offset}, {@code ordering}) are
 * not filters and are left to the caller.
 */
public final class FeedFilters {

	/** The feed's parameters that are not filters. */
	public static final Set<String> NOT_FILTERS = Set.of("limit", "offset", "ordering");

	private final FeedQuery query;

	private FeedFilters(FeedQuery query) {
		this.query = query;
	}

	/**
	 * The filters among the parameters, or null when any is invalid; then every problem
	 * has been added to {@code problems} (as the feed words them).
	 */
	public static @Nullable FeedFilters parse(Map<String, String[]> parameters, List<String> problems) {
		Map<String, String[]> filters = new HashMap<>(parameters);
		filters.keySet().removeAll(NOT_FILTERS);
		FeedQuery query = FeedQueryParser.parseCollecting(filters, problems);
		return (query != null) ? new FeedFilters(query) : null;
	}

	/**
	 * The filters as the kept statistics hold them, when they are only {@code states},
	 * {@code video_qualities} and {@code created_at} bounds; else empty.
	 */
	public Optional<KeptFilter> asKeptFilter() {
		FeedQuery q = this.query;
		if (q.reason() != null || q.deviceName() != null || q.createdBy() != null || !q.durationMicros().isEmpty()
				|| !q.updatedAt().isEmpty()) {
			return Optional.empty();
		}
		Bounds<Instant> created = q.createdAt();
		Instant from = later(created.gte(), (created.gt() != null) ? created.gt().plus(1, ChronoUnit.MICROS) : null);
		Instant until = earlier(created.lt(),
				(created.lte() != null) ? created.lte().plus(1, ChronoUnit.MICROS) : null);
		return Optional.of(new KeptFilter(q.states(), q.videoQualities(), from, until));
	}

	/**
	 * Sessions in these states (all when empty) and qualities (all when empty), created
	 * in {@code [from, until)} (either end open when null).
	 */
	public record KeptFilter(Set<SessionState> states, Set<VideoQuality> videoQualities, @Nullable Instant from,
			@Nullable Instant until) {
	}

	private static @Nullable Instant later(@Nullable Instant a, @Nullable Instant b) {
		return (a == null) ? b : (b == null || a.isAfter(b)) ? a : b;
	}

	private static @Nullable Instant earlier(@Nullable Instant a, @Nullable Instant b) {
		return (a == null) ? b : (b == null || a.isBefore(b)) ? a : b;
	}

	/** The tenant's rows that meet the filters, as conditions on {@code rv_session}. */
	public List<Condition> conditions(UUID tenantId) {
		return FeedConditions.conditions(tenantId, this.query);
	}

}
