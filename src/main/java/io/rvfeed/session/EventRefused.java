package io.rvfeed.session;

/**
 * A lifecycle event the rules refuse to record, with the result it gets. Nothing here is
 * HTTP: {@link SessionController} answers a refused single event with the status of its
 * result, and a batch lists it as that item's result.
 */
abstract class EventRefused extends RuntimeException {

	private final SessionService.Result result;

	EventRefused(SessionService.Result result, String message) {
		super(message, null, false, false);
		this.result = result;
	}

	SessionService.Result result() {
		return this.result;
	}

}
