package io.rvfeed.admin;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.rvfeed.audit.AuditActor;
import io.rvfeed.audit.AuditEntry;
import io.rvfeed.auth.ApiKeyInfo;
import io.rvfeed.auth.Scope;
import io.rvfeed.auth.TenantInfo;
import io.rvfeed.ratelimit.RateLimit;
import io.rvfeed.web.InvalidRequest;
import io.rvfeed.web.RequestHeaders;

/**
 * The admin API: tenants and their API keys, for the operator (admin token). A new key is
 * in the answer that creates it and in no other.
 */
@RestController
@RequestMapping(path = "/admin", produces = "application/json")
class AdminController {

	static final String SHOWN_ONCE = "Store this API key now: it is shown only this once and cannot be recovered.";

	private final KeyManagement management;

	AdminController(KeyManagement management) {
		this.management = management;
	}

	@PostMapping("/tenants")
	@ResponseStatus(HttpStatus.CREATED)
	TenantView createTenant(@RequestBody NewTenantRequest request, HttpServletRequest http) {
		AuditActor actor = actor(http);
		String target = (request.tenantId() != null) ? AuditEntry.tenant(request.tenantId()) : "tenant/(new)";
		return TenantView.of(this.management.audited(actor, "tenant.created", request.tenantId(), target,
				() -> this.management.createTenant(actor, request.name(), request.tenantId())));
	}

	@GetMapping("/tenants")
	List<TenantView> tenants() {
		return this.management.tenants().stream().map(TenantView::of).toList();
	}

	@PostMapping("/tenants/{tenantId}/keys")
	@ResponseStatus(HttpStatus.CREATED)
	CreatedKeyView createKey(@PathVariable UUID tenantId, @RequestBody NewKeyRequest request, HttpServletRequest http) {
		AuditActor actor = actor(http);
		return CreatedKeyView
			.of(this.management.audited(actor, "key.created", tenantId, AuditEntry.tenant(tenantId), () -> {
				RateLimit rateLimit = (request.rateLimit() != null) ? request.rateLimit().toRateLimit() : null;
				return this.management.createKey(actor, tenantId, request.name(), request.scopes(), rateLimit);
			}));
	}

	@GetMapping("/tenants/{tenantId}/keys")
	List<KeyView> keys(@PathVariable UUID tenantId) {
		return this.management.keys(tenantId).stream().map(KeyView::of).toList();
	}

	@PostMapping("/tenants/{tenantId}/keys/{keyId}/revoke")
	KeyView revoke(@PathVariable UUID tenantId, @PathVariable UUID keyId, HttpServletRequest http) {
		AuditActor actor = actor(http);
		return KeyView.of(this.management.audited(actor, "key.revoked", tenantId, AuditEntry.key(tenantId, keyId),
				() -> this.management.revoke(actor, tenantId, keyId)));
	}

	@PostMapping("/tenants/{tenantId}/keys/{keyId}/rotate")
	@ResponseStatus(HttpStatus.CREATED)
	CreatedKeyView rotate(@PathVariable UUID tenantId, @PathVariable UUID keyId, HttpServletRequest http) {
		AuditActor actor = actor(http);
		return CreatedKeyView.of(this.management.audited(actor, "key.rotated", tenantId,
				AuditEntry.key(tenantId, keyId), () -> this.management.rotate(actor, tenantId, keyId)));
	}

	@PutMapping("/tenants/{tenantId}/keys/{keyId}/rate-limit")
	KeyView setRateLimit(@PathVariable UUID tenantId, @PathVariable UUID keyId, @RequestBody RateLimitBody body,
			HttpServletRequest http) {
		AuditActor actor = actor(http);
		return KeyView
			.of(this.management.audited(actor, "key.rate_limit_set", tenantId, AuditEntry.key(tenantId, keyId), () -> {
				RateLimit rateLimit = body.toRateLimit();
				if (rateLimit == null) {
					throw new InvalidRequest(
							"Send requests_per_second and burst. To return the key to the default limit, DELETE its rate-limit.");
				}
				return this.management.setRateLimit(actor, tenantId, keyId, rateLimit);
			}));
	}

	@DeleteMapping("/tenants/{tenantId}/keys/{keyId}/rate-limit")
	KeyView clearRateLimit(@PathVariable UUID tenantId, @PathVariable UUID keyId, HttpServletRequest http) {
		AuditActor actor = actor(http);
		return KeyView.of(this.management.audited(actor, "key.rate_limit_cleared", tenantId,
				AuditEntry.key(tenantId, keyId), () -> this.management.setRateLimit(actor, tenantId, keyId, null)));
	}

	/**
	 * The admin API's actor: the admin token, for the person an {@code X-Caller-Id} names
	 * (a bad header: 400).
	 */
	static AuditActor actor(HttpServletRequest request) {
		RequestHeaders.checkCallerId(request).ifPresent((error) -> {
			throw new InvalidRequest(error.message());
		});
		return AuditActor.adminApi(RequestHeaders.callerId(request));
	}

	record NewTenantRequest(@Nullable String name, @Nullable UUID tenantId) {
	}

	record NewKeyRequest(@Nullable String name, @Nullable List<String> scopes, @Nullable RateLimitBody rateLimit) {
	}

	record RateLimitBody(@Nullable Integer requestsPerSecond, @Nullable Integer burst) {

		@Nullable RateLimit toRateLimit() {
			return KeyManagement.rateLimit(this.requestsPerSecond, this.burst);
		}

	}

	record TenantView(UUID tenantId, String name, Instant createdAt) {

		static TenantView of(TenantInfo tenant) {
			return new TenantView(tenant.tenantId(), tenant.name(), tenant.createdAt());
		}

	}

	/** A key as listed: its prefix, never the key or its hash. */
	record KeyView(UUID keyId, UUID tenantId, String name, String prefix, List<String> scopes, Instant createdAt,
			@Nullable Instant lastUsedAt, @Nullable Instant revokedAt, @Nullable RateLimit rateLimit) {

		static KeyView of(ApiKeyInfo key) {
			return new KeyView(key.keyId(), key.tenantId(), key.name(), key.prefix(),
					key.scopes().stream().sorted().map(Scope::value).toList(), key.createdAt(), key.lastUsedAt(),
					key.revokedAt(), key.rateLimit());
		}

	}

	record CreatedKeyView(String apiKey, String notice, KeyView key) {

		static CreatedKeyView of(KeyManagement.NewKey key) {
			return new CreatedKeyView(key.apiKey(), SHOWN_ONCE, KeyView.of(key.info()));
		}

	}

}
