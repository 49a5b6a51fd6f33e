package io.rvfeed.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

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

	KeyManagement(TenantRepository tenants, ApiKeyRepository keys) {
		this.tenants = tenants;
		this.keys = keys;
	}

	@Transactional
	TenantInfo createTenant(@Nullable String name, @Nullable UUID tenantId) {
		String checkedName = name("tenant name", name);
		UUID id = (tenantId != null) ? tenantId : UUID.randomUUID();
		if (!this.tenants.createIfAbsent(id, checkedName)) {
			throw new TenantAlreadyExists(id);
		}
		log.info("Admin created tenant {}", id);
		return this.tenants.find(id).orElseThrow();
	}

	List<TenantInfo> tenants() {
		return this.tenants.list();
	}

	@Transactional
	NewKey createKey(UUID tenantId, @Nullable String name, @Nullable List<String> scopes,
			@Nullable RateLimit rateLimit) {
		String checkedName = name("key name", name);
		Set<Scope> checkedScopes = scopes(scopes);
		requireTenant(tenantId);
		String key = ApiKeys.generate();
		UUID keyId = this.keys.create(tenantId, checkedName, checkedScopes, key, rateLimit);
		log.info("Admin created API key {} for tenant {}", keyId, tenantId);
		return new NewKey(this.keys.find(tenantId, keyId).orElseThrow(), key);
	}

	List<ApiKeyInfo> keys(UUID tenantId) {
		requireTenant(tenantId);
		return this.keys.list(tenantId);
	}

	@Transactional
	ApiKeyInfo revoke(UUID tenantId, UUID keyId) {
		ApiKeyInfo key = requireKey(tenantId, keyId);
		if (key.revoked() || !this.keys.revoke(tenantId, keyId)) {
			throw new KeyAlreadyRevoked(keyId);
		}
		log.info("Admin revoked API key {} of tenant {}", keyId, tenantId);
		return requireKey(tenantId, keyId);
	}

	@Transactional
	NewKey rotate(UUID tenantId, UUID keyId) {
		ApiKeyInfo old = requireKey(tenantId, keyId);
		if (old.revoked()) {
			throw new KeyAlreadyRevoked(keyId);
		}
		String key = ApiKeys.generate();
		UUID newKeyId = this.keys.rotate(tenantId, keyId, key).orElseThrow(() -> new KeyAlreadyRevoked(keyId));
		log.info("Admin rotated API key {} of tenant {}: revoked, replaced by {}", keyId, tenantId, newKeyId);
		return new NewKey(this.keys.find(tenantId, newKeyId).orElseThrow(), key);
	}

	@Transactional
	ApiKeyInfo setRateLimit(UUID tenantId, UUID keyId, @Nullable RateLimit rateLimit) {
		requireKey(tenantId, keyId);
		this.keys.setRateLimit(tenantId, keyId, rateLimit);
		log.info("Admin set the rate limit of API key {} of tenant {} to {}", keyId, tenantId,
				(rateLimit != null) ? rateLimit : "the default");
		return requireKey(tenantId, keyId);
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
