package io.rvfeed.admin;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

import io.rvfeed.web.ApiError;
import io.rvfeed.web.ApiErrorWriter;

/** The admin API's own security: the admin token, and nothing else, opens it. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class AdminSecurityConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain adminSecurity(HttpSecurity http, AdminProperties properties, ApiErrorWriter errors)
			throws Exception {
		http.securityMatcher("/admin/**")
			.csrf(AbstractHttpConfigurer::disable)
			.cors(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.addFilterBefore(new AdminTokenFilter(properties, errors), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests((requests) -> requests.anyRequest().hasAuthority(AdminTokenFilter.AUTHORITY))
			.exceptionHandling((handling) -> handling.authenticationEntryPoint(
					(request, response, ex) -> errors.write(response, ApiError.of(401, AdminTokenFilter.INVALID_TOKEN)))
				.accessDeniedHandler((request, response, ex) -> errors.write(response,
						ApiError.of(401, AdminTokenFilter.INVALID_TOKEN))));
		return http.build();
	}

}
