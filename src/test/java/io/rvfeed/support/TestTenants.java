package io.rvfeed.support;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.rvfeed.auth.ApiKeyRepository;
import io.rvfeed.auth.ApiKeys;
import io.rvfeed.auth.Scope;
import io.rvfeed.auth.TenantRepository;

/**
 * Fresh tenants with their own keys, so every test sees only its own data, also on a
 * shared external database that keeps rows from earlier runs.
 */
@Component
public class TestTenants {

	private final TenantRepository tenants;

	private final ApiKeyRepository keys;

	TestTenants(TenantRepository tenants, ApiKeyRepository keys) {
		this.tenants = tenants;
		this.keys = keys;
	}

	public TestTenant create() {
		return create(EnumSet.allOf(Scope.class));
	}

	public TestTenant create(Set<Scope> scopes) {
		UUID tenantId = UUID.randomUUID();
		this.tenants.createIfAbsent(tenantId, "test tenant");
		return new TestTenant(tenantId, addKey(tenantId, "test key", scopes));
	}

	public String addKey(UUID tenantId, String name, Set<Scope> scopes) {
		String key = ApiKeys.generate();
		this.keys.create(tenantId, name, scopes.isEmpty() ? EnumSet.noneOf(Scope.class) : EnumSet.copyOf(scopes), key);
		return key;
	}

	public record TestTenant(UUID id, String key) {
	}

}
