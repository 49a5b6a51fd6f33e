package io.rvfeed.events;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.auth.Scope;
import io.rvfeed.db.ReadDatabase;
import io.rvfeed.db.WalPosition;
import io.rvfeed.web.CsvCells;
import io.rvfeed.web.FeedCursor;

/**
 * {@code GET /api/v2/rv-session-events/export}: every matching event after the cursor (or
 * {@code since}, or from the start), in the feed's order, as one file: CSV, NDJSON or
 * CEF. Streamed from a database cursor in constant memory, in one snapshot; each record
 * carries its cursor, so the last one is where to go on from.
 */
@RestController
class EventsExportController {

	private static final Logger log = LoggerFactory.getLogger(EventsExportController.class);

	static final String[] CSV_HEADER = { "event_id", "session_id", "device_id", "device_name", "state", "occurred_at",
			"recorded_at", "reason", "updated_by", "effect", "session_state", "cursor" };

	private final EventFeedRepository events;

	private final EventCursors cursors;

	private final TransactionTemplate snapshot;

	private final ObjectMapper json;

	private final CefLines cef = new CefLines(CefLines.productVersion());

	EventsExportController(EventFeedRepository events, EventCursors cursors, ReadDatabase read, ObjectMapper json) {
		this.events = events;
		this.cursors = cursors;
		this.json = json;
		this.snapshot = new TransactionTemplate(read.transactions());
		this.snapshot.setReadOnly(true);
		this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
	}

	enum Format {

		CSV("text/csv;charset=UTF-8", "csv"), NDJSON("application/x-ndjson", "ndjson"),
		CEF("text/plain;charset=UTF-8", "cef");

		final String contentType;

		final String extension;

		Format(String contentType, String extension) {
			this.contentType = contentType;
			this.extension = extension;
		}

	}

	@GetMapping(path = { "/api/v2/rv-session-events/export", "/api/v2/rv-session-events/export/" })
	ResponseEntity<StreamingResponseBody> export(@AuthenticationPrincipal ApiPrincipal caller,
			HttpServletRequest request) {
		caller.requireScope(Scope.FEED_READ);
		List<String> problems = new ArrayList<>();
		Format format = format(request.getParameterValues("format"), problems);
		EventRequest parsed = EventRequest.parse(request.getParameterMap(), problems);
		FeedCursor from = this.cursors.from(caller.tenantId(), parsed);
		String filename = "rv-session-events-"
				+ Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "") + "." + format.extension;
		// the body is written on another thread: with this request's consistency token
		WalPosition token = ReadDatabase.currentToken();
		StreamingResponseBody body = (out) -> {
			Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
			try {
				if (format == Format.CSV) {
					writer.write(CsvCells.row((Object[]) CSV_HEADER));
				}
				ReadDatabase.runAtLeast(token, () -> this.snapshot.executeWithoutResult(
						(status) -> this.events.stream(parsed.query(), from, (event) -> write(writer, format, event))));
				writer.flush();
			}
			catch (UncheckedIOException ex) {
				log.info("Events export to tenant {} ended early: the client went away", caller.tenantId());
			}
		};
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(format.contentType))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(filename).build().toString())
			.body(body);
	}

	private void write(Writer writer, Format format, EventRecord event) {
		try {
			switch (format) {
				case CSV -> writer.write(CsvCells.row(event.eventId(), event.sessionId(), event.deviceId(),
						event.deviceName(), event.state(), event.occurredAt(), event.recordedAt(), event.reason(),
						event.updatedBy(), event.effect(), event.sessionState(), event.cursor()));
				case NDJSON -> {
					writer.write(this.json.writeValueAsString(event));
					writer.write('\n');
				}
				case CEF -> {
					writer.write(this.cef.line(event));
					writer.write('\n');
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Format format(String[] values, List<String> problems) {
		if (values == null || values.length == 0 || (values.length == 1 && values[0].isEmpty())) {
			return Format.CSV;
		}
		if (values.length > 1) {
			problems.add("Parameter 'format' may be given only once.");
			return Format.CSV;
		}
		try {
			return Format.valueOf(values[0].trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			problems.add("Parameter 'format' must be csv, ndjson or cef.");
			return Format.CSV;
		}
	}

}
