package io.rvfeed.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's firewall with one change: header values may carry UTF-8 text. The
 * server hands header bytes over one char each, so a UTF-8 continuation byte of 0x80-0x9F
 * looks like a C1 control character, which the default refuses ("€" in
 * {@code X-Caller-Id}). Control characters of ASCII are still refused; the headers the
 * service keeps are decoded as UTF-8 and checked again ({@link RequestHeaders}).
 */
@Configuration(proxyBeanMethods = false)
class HttpFirewallConfiguration {

	@Bean
	WebSecurityCustomizer utf8HeaderValues() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderValues(
				(value) -> value.chars().noneMatch((c) -> (c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF));
		return (web) -> web.httpFirewall(firewall);
	}

}
