package io.rvfeed.feed;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.auth.Scope;
import io.rvfeed.session.FeedItem;
import io.rvfeed.web.CsvCells;
import io.rvfeed.web.ErrorMessages;
import io.rvfeed.web.InvalidRequest;

/**
 * The whole filtered feed as a file: every matching row (no page cap), streamed from a
 * database cursor in constant memory, as CSV or NDJSON, in the feed's order (run by
 * {@link FeedExports}).
 */
@RestController
class FeedExportController {

	static final String[] CSV_HEADER = { "session_id", "device_id", "device_name", "device_alias", "device_state",
			"state", "video_quality", "reason", "duration", "created_by", "updated_by", "created_at", "updated_at",
			"started_at", "ended_at" };

	private final FeedExports exports;

	private final FeedMetrics metrics;

	FeedExportController(FeedExports exports, FeedMetrics metrics) {
		this.exports = exports;
		this.metrics = metrics;
	}

	enum Format {

		CSV("text/csv;charset=UTF-8", "csv"), NDJSON("application/x-ndjson", "ndjson");

		final String contentType;

		final String extension;

		Format(String contentType, String extension) {
			this.contentType = contentType;
			this.extension = extension;
		}

	}

	@GetMapping(path = { "/api/v2/rv-activity-feed/export", "/api/v2/rv-activity-feed/export/" })
	void export(@AuthenticationPrincipal ApiPrincipal caller, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		caller.requireScope(Scope.FEED_READ);
		Format format = format(request.getParameterValues("format"));
		FeedQuery query = FeedQueryParser.parse(request.getParameterMap());
		String filename = "rv-activity-feed-"
				+ Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "") + "." + format.extension;
		this.metrics.exportStarted(format);
		this.exports.start(caller, query, format, filename, request, response);
	}

	private static Format format(String[] values) {
		if (values == null || values.length == 0 || (values.length == 1 && values[0].isEmpty())) {
			return Format.CSV;
		}
		if (values.length > 1) {
			throw new InvalidRequest(ErrorMessages.givenTwice("Parameter 'format'"));
		}
		try {
			return Format.valueOf(values[0].trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequest("Parameter 'format' must be csv or ndjson.");
		}
	}

}
