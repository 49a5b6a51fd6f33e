package io.rvfeed.admin;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** The key to revoke or rotate is revoked already. */
class KeyAlreadyRevoked extends ApiProblem {

	KeyAlreadyRevoked(UUID keyId) {
		super(HttpStatus.CONFLICT, "API key " + keyId + " is revoked already.");
	}

}
