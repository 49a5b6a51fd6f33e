package io.rvfeed.session;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.rvfeed.session.SessionService.ItemOutcome;
import io.rvfeed.session.SessionService.Result;

/**
 * The answer to a batch: how many items got each result, and each item's result in
 * request order.
 */
record BatchResult(Map<String, Integer> counts, List<ItemResult> results) {

	static final String RECORDED = "Recorded.";

	static final String ALREADY_RECORDED = "Already recorded; nothing changed.";

	static final String NOT_RECORDED = "Internal error; this item was not recorded.";

	record ItemResult(int index, String result, int status, String message, @Nullable UUID sessionId,
			@Nullable UUID eventId) {
	}

	/**
	 * The answer to the items as read: the invalid ones with their problems, the valid
	 * ones with the outcomes the batch use case gave for them, in the same order.
	 */
	static BatchResult of(List<SessionRequests.BatchItem> items, List<ItemOutcome> outcomes) {
		List<ItemResult> results = new ArrayList<>();
		Map<Result, Integer> counts = new EnumMap<>(Result.class);
		int next = 0;
		for (int index = 0; index < items.size(); index++) {
			SessionRequests.BatchItem item = items.get(index);
			ItemOutcome outcome = item.valid() ? outcomes.get(next++) : null;
			Result result = (outcome != null) ? outcome.result() : Result.INVALID;
			results.add(new ItemResult(index, name(result), SessionController.status(result).value(),
					message(result, outcome, item), (outcome != null) ? outcome.sessionId() : item.sessionId(),
					(outcome != null) ? outcome.eventId() : item.eventId()));
			counts.merge(result, 1, Integer::sum);
		}
		Map<String, Integer> countsByName = new LinkedHashMap<>();
		for (Result result : Result.values()) {
			countsByName.put(name(result), counts.getOrDefault(result, 0));
		}
		return new BatchResult(countsByName, results);
	}

	private static @Nullable String message(Result result, @Nullable ItemOutcome outcome,
			SessionRequests.BatchItem item) {
		return switch (result) {
			case APPLIED -> RECORDED;
			case DUPLICATE -> ALREADY_RECORDED;
			case ERROR -> NOT_RECORDED;
			case INVALID -> String.join(" ", item.problems());
			case CONFLICT, NOT_FOUND -> outcome.reason();
		};
	}

	/** A result as the API names it: {@code applied}, {@code not_found}, ... */
	static String name(Result result) {
		return result.name().toLowerCase(Locale.ROOT);
	}

}
