package io.rvfeed.lifecycle;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** No such tenant (or one already being deleted, where that counts as gone). */
class TenantNotFound extends ApiProblem {

	TenantNotFound(UUID tenantId) {
		super(HttpStatus.NOT_FOUND, "There is no tenant " + tenantId + ".");
	}

}
