package io.rvfeed.admin;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** The admin named a tenant that does not exist. */
class TenantNotFound extends ApiProblem {

	TenantNotFound(UUID tenantId) {
		super(HttpStatus.NOT_FOUND, "There is no tenant " + tenantId + ".");
	}

}
