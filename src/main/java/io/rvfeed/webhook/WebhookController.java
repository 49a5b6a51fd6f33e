package io.rvfeed.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rvfeed.audit.AuditActor;
import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.auth.Scope;
import io.rvfeed.web.InvalidRequest;
import io.rvfeed.web.JsonBody;
import io.rvfeed.web.RequestHeaders;
import io.rvfeed.web.Rfc3339;

/**
 * {@code /api/v2/webhooks/}: a tenant's webhook endpoints, their delivery log, retry and
 * replay. Every route needs the scope {@code webhooks:manage}; another tenant's endpoint
 * or message answers exactly like a missing one.
 */
@RestController
class WebhookController {

	static final String BASE = "/api/v2/webhooks";

	private static final int DEFAULT_LIMIT = 50;

	private static final int MAX_LIMIT = 250;

	private static final Set<String> STATUSES = Set.of("pending", "delivered", "failed");

	private final WebhookService service;

	private final TargetGuard guard;

	WebhookController(WebhookService service, TargetGuard guard) {
		this.service = service;
		this.guard = guard;
	}

	@PostMapping(path = { BASE + "/", BASE }, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<WebhookViews.Envelope<WebhookViews.Endpoint>> create(@AuthenticationPrincipal ApiPrincipal caller,
			HttpServletRequest request) {
		caller.requireScope(Scope.WEBHOOKS_MANAGE);
		EndpointRequest parsed = EndpointRequest.parse(body(request, "a webhook endpoint"), true, this.guard);
		WebhookService.Created created = this.service.create(actor(caller), caller.tenantId(), parsed);
		return ResponseEntity.status(HttpStatus.CREATED)
			.location(URI.create(BASE + "/" + created.endpoint().endpointId() + "/"))
			.body(new WebhookViews.Envelope<>(WebhookViews.Endpoint.of(created.endpoint(), created.secret())));
	}

	@GetMapping(path = { BASE + "/", BASE }, produces = MediaType.APPLICATION_JSON_VALUE)
	WebhookViews.Envelope<WebhookViews.Page<WebhookViews.Endpoint>> list(@AuthenticationPrincipal ApiPrincipal caller) {
		caller.requireScope(Scope.WEBHOOKS_MANAGE);
		List<WebhookViews.Endpoint> endpoints = this.service.list(caller.tenantId())
			.stream()
			.map((e) -> WebhookViews.Endpoint.of(e, null))
			.toList();
		return new WebhookViews.Envelope<>(new WebhookViews.Page<>(endpoints, null));
	}

	@GetMapping(path = { BASE + "/{id}/", BASE + "/{id}" }, produces = MediaType.APPLICATION_JSON_VALUE)
	WebhookViews.Envelope<WebhookViews.Endpoint> get(@AuthenticationPrincipal ApiPrincipal caller,
			@PathVariable String id) {
		caller.requireScope(Scope.WEBHOOKS_MANAGE);
		return new WebhookViews.Envelope<>(
				WebhookViews.Endpoint.of(this.service.get(caller.tenantId(), endpointId(id)), null));
	}

	@PatchMapping(path = { BASE + "/{id}/", BASE + "/{id}" }, produces = MediaType.APPLICATION_JSON_VALUE)
	WebhookViews.Envelope<WebhookViews.Endpoint> update(@AuthenticationPrincipal ApiPrincipal caller,
			@PathVariable String id, HttpServletRequest request) {
		caller.requireScope(Scope.WEBHOOKS_MANAGE);
		UUID endpointId = endpointId(id);
		EndpointRequest parsed = EndpointRequest.parse(body(request, "the fields to change"), false, this.guard);
		return new WebhookViews.Envelope<>(WebhookViews.Endpoint
			.of(this.service.update(actor(caller), caller.tenantId(), endpointId, parsed), null));
	}

	@DeleteMapping(path = { BASE + "/{id}/", BASE + "/{id}" })
	ResponseEntity<Void> delete(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable String id) {
		caller.requireScope(Scope.WEBHOOKS_MANAGE);
		this.service.delete(actor(caller), caller.tenantId(), endpointId(id));
		return ResponseEntity.noContent().build();
	}

	@PostMapping(path = { BASE + "/{id}/rotate-secret", BASE + "/{id}/rotate-secret/" },
			produces = MediaType.APPLICATION_JSON_VALUE)
	WebhookViews.Envelope<WebhookViews.Endpoint> rotate(@AuthenticationPrincipal ApiPrincipal caller,
			@PathVariable String id) {
		caller.requireScope(Scope.WEBHOOKS_MANAGE);
		WebhookService.Created rotated = this.service.rotate(actor(caller), caller.tenantId(), endpointId(id));
		return new WebhookViews.Envelope<>(WebhookViews.Endpoint.of(rotated.endpoint(), rotated.secret()));
	}

	@GetMapping(path = { BASE + "/{id}/messages", BASE + "/{id}/messages/" },
			produces = MediaType.APPLICATION_JSON_VALUE)
	WebhookViews.Envelope<WebhookViews.Page<WebhookViews.Message>> messages(
			@AuthenticationPrincipal ApiPrincipal caller, @PathVariable String id, HttpServletRequest request) {
		caller.requireScope(Scope.WEBHOOKS_MANAGE);
		UUID endpointId = endpointId(id);
		String status = single(request, "status");
		if (status != null && !STATUSES.contains(status)) {
			throw new InvalidRequest("Parameter 'status' must be one of: delivered, failed, pending.");
		}
		int limit = limit(single(request, "limit"));
		String beforeText = single(request, "before");
		UUID before = null;
		if (beforeText != null) {
			before = RequestHeaders.parseUuid(beforeText)
				.orElseThrow(() -> new InvalidRequest("Parameter 'before' must be a message id (a UUID)."));
		}
		List<MessageRow> page = this.service.messages(caller.tenantId(), endpointId, status, before, limit + 1);
		boolean more = page.size() > limit;
		List<MessageRow> shown = more ? page.subList(0, limit) : page;
		return new WebhookViews.Envelope<>(
				new WebhookViews.Page<>(shown.stream().map((m) -> WebhookViews.Message.of(m, false)).toList(),
						more ? shown.get(shown.size() - 1).messageId().toString() : null));
	}

	@GetMapping(path = { BASE + "/{id}/messages/{messageId}", BASE + "/{id}/messages/{messageId}/" },
			produces = MediaType.APPLICATION_JSON_VALUE)
	WebhookViews.Envelope<WebhookViews.Message> message(@AuthenticationPrincipal ApiPrincipal caller,
			@PathVariable String id, @PathVariable String messageId) {
		caller.requireScope(Scope.WEBHOOKS_MANAGE);
		return new WebhookViews.Envelope<>(WebhookViews.Message
			.of(this.service.message(caller.tenantId(), endpointId(id), messageId(messageId)), true));
	}

	@GetMapping(path = { BASE + "/{id}/messages/{messageId}/attempts", BASE + "/{id}/messages/{messageId}/attempts/" },
			produces = MediaType.APPLICATION_JSON_VALUE)
	WebhookViews.Envelope<WebhookViews.Page<WebhookViews.Attempt>> attempts(
			@AuthenticationPrincipal ApiPrincipal caller, @PathVariable String id, @PathVariable String messageId) {
		caller.requireScope(Scope.WEBHOOKS_MANAGE);
		return new WebhookViews.Envelope<>(
				new WebhookViews.Page<>(this.service.attempts(caller.tenantId(), endpointId(id), messageId(messageId))
					.stream()
					.map(WebhookViews.Attempt::of)
					.toList(), null));
	}

	@PostMapping(path = { BASE + "/{id}/messages/{messageId}/retry", BASE + "/{id}/messages/{messageId}/retry/" },
			produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<WebhookViews.Envelope<WebhookViews.Message>> retry(@AuthenticationPrincipal ApiPrincipal caller,
			@PathVariable String id, @PathVariable String messageId) {
		caller.requireScope(Scope.WEBHOOKS_MANAGE);
		MessageRow message = this.service.retry(actor(caller), caller.tenantId(), endpointId(id), messageId(messageId));
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(new WebhookViews.Envelope<>(WebhookViews.Message.of(message, false)));
	}

	@PostMapping(path = { BASE + "/{id}/replay", BASE + "/{id}/replay/" }, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<WebhookViews.Envelope<WebhookViews.Replay>> replay(@AuthenticationPrincipal ApiPrincipal caller,
			@PathVariable String id, HttpServletRequest request) {
		caller.requireScope(Scope.WEBHOOKS_MANAGE);
		UUID endpointId = endpointId(id);
		JsonBody body = JsonBody.object(body(request, "'cursor' or 'since'"), "", Set.of("cursor", "since"));
		String cursor = body.string("cursor", 200, false);
		Instant since = body.time("since");
		if (cursor != null && since != null) {
			body.problems().add("Give 'cursor' or 'since', not both.");
		}
		body.throwIfInvalid();
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(new WebhookViews.Envelope<>(
					this.service.replay(actor(caller), caller.tenantId(), endpointId, cursor, since)));
	}

	private static AuditActor actor(ApiPrincipal caller) {
		return AuditActor.apiKey(caller.keyId());
	}

	private static JsonNode body(HttpServletRequest request, String what) {
		String type = request.getContentType();
		if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
			throw new WebhookProblems.NotJson();
		}
		return JsonBody.parse(JsonBody.readBytes(request), what);
	}

	private static UUID endpointId(String value) {
		return RequestHeaders.parseUuid(value).orElseThrow(() -> new WebhookProblems.EndpointNotFound(value));
	}

	private static UUID messageId(String value) {
		String id = value.startsWith("msg_") ? value.substring(4) : value;
		return RequestHeaders.parseUuid(id).orElseThrow(() -> new WebhookProblems.MessageNotFound(value));
	}

	private static @Nullable String single(HttpServletRequest request, String name) {
		String[] values = request.getParameterValues(name);
		if (values == null) {
			return null;
		}
		if (values.length > 1) {
			throw new InvalidRequest("Parameter '" + name + "' is given more than once.");
		}
		return values[0];
	}

	private static int limit(@Nullable String text) {
		if (text == null) {
			return DEFAULT_LIMIT;
		}
		try {
			int limit = Integer.parseInt(text);
			if (limit >= 1 && limit <= MAX_LIMIT) {
				return limit;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw new InvalidRequest("Parameter 'limit' must be a whole number from 1 to " + MAX_LIMIT + ".");
	}

}
