package io.rvfeed.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

import org.springframework.http.HttpHeaders;

/**
 * Once a request has been answered, Tomcat normally reads ("swallows") whatever is left
 * of its body to keep the connection for the next request, on a worker thread, with a
 * read timeout that every byte restarts: a client that sends an unwanted body slowly
 * would hold that thread. This valve closes the connection instead whenever the
 * application did not read the whole body (an anonymous caller's, a refused request's,
 * one that ran out of time), after the answer has been sent in full.
 */
public class UnreadBodyValve extends ValveBase {

	public UnreadBodyValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		try {
			getNext().invoke(request, response);
		}
		finally {
			if (RequestBodyFilter.hasBody(request)) {
				if (request.isAsync()) {
					closeWhenComplete(request, response);
				}
				else {
					closeIfUnread(request, response);
				}
			}
		}
	}

	private static void closeWhenComplete(Request request, Response response) {
		try {
			request.getAsyncContext().addListener(new AsyncListener() {

				@Override
				public void onComplete(AsyncEvent event) {
					closeIfUnread(request, response);
				}

				@Override
				public void onTimeout(AsyncEvent event) {
				}

				@Override
				public void onError(AsyncEvent event) {
				}

				@Override
				public void onStartAsync(AsyncEvent event) {
				}

			});
		}
		catch (IllegalStateException ex) {
			// completed already
		}
	}

	private static void closeIfUnread(Request request, Response response) {
		AtomicBoolean read = new AtomicBoolean();
		request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, read);
		if (read.get()) {
			return;
		}
		if (!response.isCommitted()) {
			response.setHeader(HttpHeaders.CONNECTION, "close");
		}
		try {
			response.finishResponse();
		}
		catch (IOException ex) {
			// the client has gone
		}
		request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
	}

}
