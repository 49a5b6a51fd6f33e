package io.rvfeed.feed;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.auth.Scope;
import io.rvfeed.web.InvalidRequest;

/**
 * The whole filtered feed as a file: every matching row (no page cap), streamed from a
 * database cursor in constant memory, as CSV or NDJSON, in the feed's order.
 */
@RestController
class FeedExportController {

	private static final Logger log = LoggerFactory.getLogger(FeedExportController.class);

	static final String[] CSV_HEADER = { "session_id", "device_id", "device_name", "device_alias", "device_state",
			"state", "video_quality", "reason", "duration", "created_by", "updated_by", "created_at", "updated_at",
			"started_at", "ended_at" };

	private final FeedRepository feed;

	private final TransactionTemplate snapshot;

	private final ObjectMapper json;

	private final FeedMetrics metrics;

	FeedExportController(FeedRepository feed, PlatformTransactionManager transactions, ObjectMapper json,
			FeedMetrics metrics) {
		this.feed = feed;
		this.json = json;
		this.metrics = metrics;
		this.snapshot = new TransactionTemplate(transactions);
		this.snapshot.setReadOnly(true);
		this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
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
	ResponseEntity<StreamingResponseBody> export(@AuthenticationPrincipal ApiPrincipal caller,
			HttpServletRequest request) {
		caller.requireScope(Scope.FEED_READ);
		Format format = format(request.getParameterValues("format"));
		FeedQuery query = FeedQueryParser.parse(request.getParameterMap());
		String filename = "rv-activity-feed-"
				+ Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "") + "." + format.extension;
		this.metrics.exportStarted(format);
		StreamingResponseBody body = (out) -> {
			Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
			try {
				if (format == Format.CSV) {
					writer.write(CsvCells.row((Object[]) CSV_HEADER));
				}
				this.snapshot.executeWithoutResult(
						(status) -> this.feed.stream(caller.tenantId(), query, (item) -> write(writer, format, item)));
				writer.flush();
			}
			catch (UncheckedIOException ex) {
				log.info("Export to tenant {} ended early: the client went away", caller.tenantId());
			}
		};
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(format.contentType))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(filename).build().toString())
			.body(body);
	}

	private void write(Writer writer, Format format, FeedItem item) {
		this.metrics.rowExported(format);
		try {
			if (format == Format.CSV) {
				writer.write(CsvCells.row(item.sessionId(), item.deviceId(), item.deviceName(), item.deviceAlias(),
						item.deviceState(), item.state(), item.videoQuality(), item.reason(), item.duration(),
						item.createdBy(), item.updatedBy(), item.createdAt(), item.updatedAt(), item.startedAt(),
						item.endedAt()));
			}
			else {
				writer.write(this.json.writeValueAsString(item));
				writer.write('\n');
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Format format(String[] values) {
		if (values == null || values.length == 0 || (values.length == 1 && values[0].isEmpty())) {
			return Format.CSV;
		}
		if (values.length > 1) {
			throw new InvalidRequest("Parameter 'format' may be given only once.");
		}
		try {
			return Format.valueOf(values[0].trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequest("Parameter 'format' must be csv or ndjson.");
		}
	}

}
