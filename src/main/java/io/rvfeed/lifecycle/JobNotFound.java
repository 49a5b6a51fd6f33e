package io.rvfeed.lifecycle;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** No such lifecycle job. */
class JobNotFound extends ApiProblem {

	JobNotFound(UUID jobId) {
		super(HttpStatus.NOT_FOUND, "There is no job " + jobId + ".");
	}

}
