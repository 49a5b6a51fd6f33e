package io.rvfeed.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets a long-lived response drop its connection at once, which the Servlet API cannot
 * do: a stalled client is cut off at its write deadline instead of Tomcat's much later
 * socket timeout, and an export cut short ends without the chunked terminator, so the
 * client can tell that its file is incomplete. A Tomcat valve hands each request a hook
 * to Tomcat's own "close now", the one it uses when I/O fails on an application thread.
 */
@Configuration(proxyBeanMethods = false)
class ConnectionAbort {

	private static final String ATTRIBUTE = ConnectionAbort.class.getName();

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> connectionAbortValve() {
		return (factory) -> factory.addContextValves(new HookValve());
	}

	/** The request's hook that drops its connection, if the container gave it one. */
	static @Nullable Runnable of(HttpServletRequest request) {
		return (request.getAttribute(ATTRIBUTE) instanceof Runnable hook) ? hook : null;
	}

	static final class HookValve extends ValveBase {

		HookValve() {
			super(true);
		}

		@Override
		public void invoke(Request request, Response response) throws IOException, ServletException {
			org.apache.coyote.Response coyote = response.getCoyoteResponse();
			request.setAttribute(ATTRIBUTE, (Runnable) () -> coyote.action(ActionCode.CLOSE_NOW,
					new IOException("Connection dropped by the application")));
			getNext().invoke(request, response);
		}

	}

}
