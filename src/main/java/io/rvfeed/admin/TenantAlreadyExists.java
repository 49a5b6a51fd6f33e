package io.rvfeed.admin;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** A tenant with the requested id exists already. */
class TenantAlreadyExists extends ApiProblem {

	TenantAlreadyExists(UUID tenantId) {
		super(HttpStatus.CONFLICT, "Tenant " + tenantId + " exists already.");
	}

}
