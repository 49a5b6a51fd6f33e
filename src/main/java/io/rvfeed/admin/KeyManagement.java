package io.rvfeed.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.rvfeed.audit.AuditActor;
import io.rvfeed.audit.AuditEntry;
import io.rvfeed.audit.AuditLog;
import io.rvfeed.auth.ApiKeyInfo;
import io.rvfeed.auth.ApiKeyRepository;
import io.rvfeed.auth.ApiKeys;
import io.rvfeed.auth.Scope;
import io.rvfeed.auth.TenantInfo;
import io.rvfeed.auth.TenantRepository;
import io.rvfeed.ratelimit.RateLimit;
import io.rvfeed.web.InvalidRequest;

/**
 * The operations of the admin API and the command line: tenants, and their keys. A new
 * key is returned once, to be shown once; only its hash is stored, and neither it nor its
 * prefix is ever logged.
 */
@Service
class KeyManagement {

	private static final Logger log = LoggerFactory.getLogger(KeyManagement.class);

	static final int MAX_NAME_LENGTH = 200;

	private final TenantRepository tenants;

	private final ApiKeyRepository keys;

	private final AuditLog audit;

	KeyManagement(TenantRepository tenants, ApiKeyRepository keys, AuditLog audit) {
		this.tenants = tenants;
		this.keys = keys;
		this.audit = audit;
	}

	@Transactional
	TenantInfo createTenant(AuditActor actor, @Nullable String name, @Nullable UUID tenantId) {
		String checkedName = name("tenant name", name);
		UUID id = (tenantId != null) ? tenantId : UUID.randomUUID();
		if (!this.tenants.createIfAbsent(id, checkedName)) {
			throw new TenantAlreadyExists(id);
		}
		log.info("Admin created tenant {}", id);
		TenantInfo created = this.tenants.find(id).orElseThrow();
		this.audit.record(AuditEntry.succeeded(actor, "tenant.created", id, AuditEntry.tenant(id),
				detail("name", created.name())));
		return created;
	}

	List<TenantInfo> tenants() {
		return this.tenants.list();
	}

	@Transactional
	NewKey createKey(AuditActor actor, UUID tenantId, @Nullable String name, @Nullable List<String> scopes,
			@Nullable RateLimit rateLimit) {
		String checkedName = name("key name", name);
		Set<Scope> checkedScopes = scopes(scopes);
		requireTenant(tenantId);
		String key = ApiKeys.generate();
		UUID keyId = this.keys.create(tenantId, checkedName, checkedScopes, key, rateLimit);
		log.info("Admin created API key {} for tenant {}", keyId, tenantId);
		ApiKeyInfo info = this.keys.find(tenantId, keyId).orElseThrow();
		this.audit.record(
				AuditEntry.succeeded(actor, "key.created", tenantId, AuditEntry.key(tenantId, keyId), keyDetail(info)));
		return new NewKey(info, key);
	}

	List<ApiKeyInfo> keys(UUID tenantId) {
		requireTenant(tenantId);
		return this.keys.list(tenantId);
	}

	@Transactional
	ApiKeyInfo revoke(AuditActor actor, UUID tenantId, UUID keyId) {
		ApiKeyInfo key = requireKey(tenantId, keyId);
		if (key.revoked() || !this.keys.revoke(tenantId, keyId)) {
			throw new KeyAlreadyRevoked(keyId);
		}
		log.info("Admin revoked API key {} of tenant {}", keyId, tenantId);
		ApiKeyInfo revoked = requireKey(tenantId, keyId);
		this.audit.record(AuditEntry.succeeded(actor, "key.revoked", tenantId, AuditEntry.key(tenantId, keyId),
				keyDetail(revoked)));
		return revoked;
	}

	@Transactional
	NewKey rotate(AuditActor actor, UUID tenantId, UUID keyId) {
		ApiKeyInfo old = requireKey(tenantId, keyId);
		if (old.revoked()) {
			throw new KeyAlreadyRevoked(keyId);
		}
		String key = ApiKeys.generate();
		UUID newKeyId = this.keys.rotate(tenantId, keyId, key).orElseThrow(() -> new KeyAlreadyRevoked(keyId));
		log.info("Admin rotated API key {} of tenant {}: revoked, replaced by {}", keyId, tenantId, newKeyId);
		ApiKeyInfo info = this.keys.find(tenantId, newKeyId).orElseThrow();
		Map<String, @Nullable Object> detail = keyDetail(info);
		detail.put("replaced_by", newKeyId.toString());
		this.audit
			.record(AuditEntry.succeeded(actor, "key.rotated", tenantId, AuditEntry.key(tenantId, keyId), detail));
		return new NewKey(info, key);
	}

	@Transactional
	ApiKeyInfo setRateLimit(AuditActor actor, UUID tenantId, UUID keyId, @Nullable RateLimit rateLimit) {
		ApiKeyInfo before = requireKey(tenantId, keyId);
		this.keys.setRateLimit(tenantId, keyId, rateLimit);
		log.info("Admin set the rate limit of API key {} of tenant {} to {}", keyId, tenantId,
				(rateLimit != null) ? rateLimit : "the default");
		Map<String, @Nullable Object> detail = new LinkedHashMap<>();
		detail.put("before", rateLimitDetail(before.rateLimit()));
		detail.put("after", rateLimitDetail(rateLimit));
		this.audit
			.record(AuditEntry.succeeded(actor, (rateLimit != null) ? "key.rate_limit_set" : "key.rate_limit_cleared",
					tenantId, AuditEntry.key(tenantId, keyId), detail));
		return requireKey(tenantId, keyId);
	}

	/** Runs an admin operation, recording its refusal or failure in the audit log. */
	<T> T audited(AuditActor actor, String action, @Nullable UUID tenantId, String target, Supplier<T> work) {
		return this.audit.audited(actor, action, tenantId, target, work);
	}

	private static Map<String, @Nullable Object> detail(String name, @Nullable Object value) {
		Map<String, @Nullable Object> detail = new LinkedHashMap<>();
		detail.put(name, value);
		return detail;
	}

	private static Map<String, @Nullable Object> keyDetail(ApiKeyInfo key) {
		Map<String, @Nullable Object> detail = new LinkedHashMap<>();
		detail.put("key_id", key.keyId().toString());
		detail.put("name", key.name());
		detail.put("scopes", key.scopes().stream().sorted().map(Scope::value).toList());
		detail.put("rate_limit", rateLimitDetail(key.rateLimit()));
		return detail;
	}

	private static @Nullable Object rateLimitDetail(@Nullable RateLimit rateLimit) {
		return (rateLimit != null)
				? Map.of("requests_per_second", rateLimit.requestsPerSecond(), "burst", rateLimit.burst()) : null;
	}

	private void requireTenant(UUID tenantId) {
		if (!this.tenants.exists(tenantId)) {
			throw new TenantNotFound(tenantId);
		}
	}

	private ApiKeyInfo requireKey(UUID tenantId, UUID keyId) {
		requireTenant(tenantId);
		return this.keys.find(tenantId, keyId).orElseThrow(() -> new KeyNotFound(tenantId, keyId));
	}

	static String name(String what, @Nullable String name) {
		if (name == null || name.isBlank()) {
			throw new InvalidRequest("A " + what + " is required.");
		}
		String trimmed = name.trim();
		if (trimmed.length() > MAX_NAME_LENGTH) {
			throw new InvalidRequest("The " + what + " must be at most " + MAX_NAME_LENGTH + " characters.");
		}
		if (trimmed.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidRequest("The " + what + " must not contain control characters.");
		}
		return trimmed;
	}

	static Set<Scope> scopes(@Nullable List<String> values) {
		String known = Arrays.stream(Scope.values()).map(Scope::value).collect(Collectors.joining(", "));
		if (values == null || values.isEmpty()) {
			throw new InvalidRequest("At least one scope is required. Scopes: " + known + ".");
		}
		Set<Scope> scopes = EnumSet.noneOf(Scope.class);
		List<String> problems = new ArrayList<>();
		for (String value : values) {
			String trimmed = (value != null) ? value.trim() : "";
			Scope.fromValue(trimmed)
				.ifPresentOrElse(scopes::add,
						() -> problems.add("Unknown scope '" + trimmed + "'. Scopes: " + known + "."));
		}
		if (!problems.isEmpty()) {
			throw new InvalidRequest(problems);
		}
		return scopes;
	}

	/** A key's own rate limit from its two parts: both, or neither for the default. */
	static @Nullable RateLimit rateLimit(@Nullable Integer requestsPerSecond, @Nullable Integer burst) {
		if (requestsPerSecond == null && burst == null) {
			return null;
		}
		if (requestsPerSecond == null || burst == null) {
			throw new InvalidRequest("A rate limit needs both requests_per_second and burst.");
		}
		if (requestsPerSecond < 1 || burst < 1 || requestsPerSecond > RateLimit.MAX || burst > RateLimit.MAX) {
			throw new InvalidRequest(
					"requests_per_second and burst must be whole numbers from 1 to " + RateLimit.MAX + ".");
		}
		return new RateLimit(requestsPerSecond, burst);
	}

	/** A key just made: {@code apiKey} is the only copy there will ever be. */
	record NewKey(ApiKeyInfo info, String apiKey) {
	}

}
