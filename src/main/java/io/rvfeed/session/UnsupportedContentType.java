package io.rvfeed.session;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** The body is sent with a content type other than JSON (or NDJSON for batches). */
class UnsupportedContentType extends ApiProblem {

	UnsupportedContentType() {
		super(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				"Unsupported Content-Type. Send application/json (batches also take application/x-ndjson).");
	}

}
