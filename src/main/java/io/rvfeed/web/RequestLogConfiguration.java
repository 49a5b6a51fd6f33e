package io.rvfeed.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The request log, kept by Tomcat when each answer is complete (so a streamed answer's
 * duration and bytes are its whole). Turn off with
 * {@code rvfeed.request-log.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "rvfeed.request-log.enabled", matchIfMissing = true)
class RequestLogConfiguration {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> requestLog() {
		return (factory) -> factory.addContextValves(new RequestLogValve());
	}

}
