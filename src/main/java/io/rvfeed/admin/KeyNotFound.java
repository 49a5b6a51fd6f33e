package io.rvfeed.admin;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** The admin named a key that the tenant does not have. */
class KeyNotFound extends ApiProblem {

	KeyNotFound(UUID tenantId, UUID keyId) {
		super(HttpStatus.NOT_FOUND, "Tenant " + tenantId + " has no API key " + keyId + ".");
	}

}
