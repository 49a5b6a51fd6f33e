package io.rvfeed.feed;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The keys the feed can be ordered by, named as in the {@code ordering} parameter. */
enum SortKey {

	CREATED_AT, UPDATED_AT, DEVICE_NAME, DURATION, STATE, REASON, VIDEO_QUALITY, CREATED_BY;

	String parameterName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	static Optional<SortKey> fromParameter(String name) {
		return Arrays.stream(values()).filter((key) -> key.parameterName().equals(name)).findFirst();
	}

	static String allowed() {
		return Arrays.stream(values()).map(SortKey::parameterName).collect(Collectors.joining(", "));
	}

}
