package io.rvfeed.webhook;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import io.rvfeed.web.ApiProblem;

/** The webhook API's refusals. */
final class WebhookProblems {

	private WebhookProblems() {
	}

	/** No such endpoint in the caller's tenant (another tenant's answers the same). */
	static final class EndpointNotFound extends ApiProblem {

		EndpointNotFound(String endpointId) {
			super(HttpStatus.NOT_FOUND, "Webhook endpoint " + endpointId + " was not found.");
		}

	}

	/** No such message of the endpoint. */
	static final class MessageNotFound extends ApiProblem {

		MessageNotFound(String messageId) {
			super(HttpStatus.NOT_FOUND, "Webhook message " + messageId + " was not found.");
		}

	}

	static final class TooManyEndpoints extends ApiProblem {

		TooManyEndpoints(int max) {
			super(HttpStatus.CONFLICT, "The tenant has " + max
					+ " webhook endpoints already, the most it may have (rvfeed.webhook.max-endpoints-per-tenant). "
					+ "Delete one first.");
		}

	}

	static final class AttemptInFlight extends ApiProblem {

		AttemptInFlight(UUID messageId) {
			super(HttpStatus.CONFLICT,
					"Webhook message " + messageId + " is being attempted right now; retry it once that attempt ends.");
		}

	}

	static final class NotJson extends ApiProblem {

		NotJson() {
			super(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json.");
		}

	}

}
