package io.rvfeed.auth;

import java.util.Set;
import java.util.UUID;

/** The caller behind a valid API key: every request acts for exactly one tenant. */
public record ApiPrincipal(UUID tenantId, UUID keyId, String keyName, Set<Scope> scopes) {

	public ApiPrincipal {
		scopes = Set.copyOf(scopes);
	}

	public void requireScope(Scope scope) {
		if (!this.scopes.contains(scope)) {
			throw new MissingScope(scope);
		}
	}

}
