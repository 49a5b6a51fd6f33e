package io.rvfeed.session;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.auth.Scope;
import io.rvfeed.web.ApiError;
import io.rvfeed.web.InvalidRequest;
import io.rvfeed.web.JsonBody;
import io.rvfeed.web.RequestHeaders;

/**
 * The write API that feeds the activity feed: sessions are created, then their lifecycle
 * events reported, singly or in batches. Every 2xx answer is sent after the commit.
 */
@RestController
class SessionController {

	static final String BASE = "/api/v2/rv-sessions";

	private final SessionService service;

	private final SessionMetrics metrics;

	SessionController(SessionService service, SessionMetrics metrics) {
		this.service = service;
		this.metrics = metrics;
	}

	record Envelope<T>(T content) {
	}

	record EventResult(String result, SessionDetail.TimelineEvent event, FeedItem session) {
	}

	@PostMapping(path = { BASE + "/", BASE }, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Envelope<FeedItem>> create(@AuthenticationPrincipal ApiPrincipal caller,
			HttpServletRequest request) {
		caller.requireScope(Scope.SESSIONS_WRITE);
		requireJson(request);
		NewSession command = SessionRequests.newSession(JsonBody.parse(JsonBody.readBytes(request), "a session"));
		SessionService.Created created = this.service.create(caller.tenantId(), command, defaultBy(caller, request));
		if (created.created()) {
			this.metrics.sessionCreated();
		}
		URI location = URI.create(BASE + "/" + created.session().sessionId() + "/");
		return ResponseEntity.status(created.created() ? HttpStatus.CREATED : HttpStatus.OK)
			.location(location)
			.body(new Envelope<>(created.session()));
	}

	@PostMapping(path = { BASE + "/{sessionId}/events/", BASE + "/{sessionId}/events" },
			produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Envelope<EventResult>> recordEvent(@AuthenticationPrincipal ApiPrincipal caller,
			@PathVariable String sessionId, HttpServletRequest request) {
		caller.requireScope(Scope.SESSIONS_WRITE);
		UUID id = pathSessionId(sessionId);
		requireJson(request);
		NewEvent command = SessionRequests.newEvent(id, JsonBody.parse(JsonBody.readBytes(request), "an event"));
		SessionService.Recorded recorded;
		try {
			recorded = this.service.record(caller.tenantId(), command, defaultBy(caller, request));
		}
		catch (EventRefused refusal) {
			this.metrics.event(SessionMetrics.Via.SINGLE, refusal.result(), 1);
			throw refusal;
		}
		this.metrics.event(SessionMetrics.Via.SINGLE, recorded.result(), 1);
		return ResponseEntity.status(status(recorded.result()))
			.body(new Envelope<>(new EventResult(BatchResult.name(recorded.result()),
					SessionDetail.TimelineEvent.of(recorded.event()), recorded.session())));
	}

	@PostMapping(path = { BASE + "/events:batch", BASE + "/events:batch/" },
			produces = MediaType.APPLICATION_JSON_VALUE)
	Envelope<BatchResult> recordBatch(@AuthenticationPrincipal ApiPrincipal caller, HttpServletRequest request) {
		caller.requireScope(Scope.SESSIONS_WRITE);
		boolean ndjson = isNdjson(request);
		if (!ndjson) {
			requireJson(request);
		}
		List<SessionRequests.BatchItem> items = SessionRequests.batch(JsonBody.readBytes(request), ndjson);
		List<NewEvent> valid = items.stream()
			.filter(SessionRequests.BatchItem::valid)
			.map(SessionRequests.BatchItem::event)
			.toList();
		List<SessionService.ItemOutcome> outcomes = valid.isEmpty() ? List.of()
				: this.service.recordBatch(caller.tenantId(), valid, defaultBy(caller, request));
		this.metrics.batch(items.size());
		this.metrics.event(SessionMetrics.Via.BATCH, SessionService.Result.INVALID, items.size() - valid.size());
		outcomes.forEach((outcome) -> this.metrics.event(SessionMetrics.Via.BATCH, outcome.result(), 1));
		return new Envelope<>(BatchResult.of(items, outcomes));
	}

	@GetMapping(path = { BASE + "/{sessionId}/", BASE + "/{sessionId}" }, produces = MediaType.APPLICATION_JSON_VALUE)
	Envelope<SessionDetail> session(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable String sessionId) {
		caller.requireScope(Scope.FEED_READ);
		UUID id = pathSessionId(sessionId);
		return new Envelope<>(this.service.detail(caller.tenantId(), id).orElseThrow(() -> new SessionNotFound(id)));
	}

	/**
	 * The HTTP status of each result, for a single event's answer and a batch item's
	 * alike; a refused single event is answered with its result's status.
	 */
	static HttpStatus status(SessionService.Result result) {
		return switch (result) {
			case APPLIED -> HttpStatus.CREATED;
			case DUPLICATE -> HttpStatus.OK;
			case CONFLICT -> HttpStatus.CONFLICT;
			case INVALID -> HttpStatus.BAD_REQUEST;
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
		};
	}

	@ExceptionHandler(EventRefused.class)
	ResponseEntity<ApiError> refused(EventRefused refusal) {
		return ResponseEntity.status(status(refusal.result()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(ApiError.of(status(refusal.result()).value(), refusal.getMessage()));
	}

	private static UUID pathSessionId(String value) {
		return RequestHeaders.parseUuid(value)
			.orElseThrow(() -> new InvalidRequest("The session id in the path must be a UUID."));
	}

	private static String defaultBy(ApiPrincipal caller, HttpServletRequest request) {
		String callerId = RequestHeaders.callerId(request);
		return (callerId != null) ? callerId : caller.keyName();
	}

	private static boolean isNdjson(HttpServletRequest request) {
		String type = request.getContentType();
		return type != null && (type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-ndjson")
				|| type.toLowerCase(java.util.Locale.ROOT).startsWith("application/jsonl"));
	}

	private static void requireJson(HttpServletRequest request) {
		String type = request.getContentType();
		if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
			throw new UnsupportedContentType();
		}
	}

}
