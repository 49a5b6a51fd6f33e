package io.rvfeed.auth;

import jakarta.servlet.DispatcherType;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

import io.rvfeed.web.ApiError;
import io.rvfeed.web.ApiErrorWriter;

/**
 * Stateless bearer-key security: {@code /api/} needs an API key, Prometheus needs the
 * metrics token, health and everything else are open (unknown paths answer 404).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeyRepository keys, ApiErrorWriter errors,
			MetricsProperties metrics) throws Exception {
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.addFilterBefore(new ApiKeyAuthenticationFilter(keys, errors), AnonymousAuthenticationFilter.class)
			.addFilterBefore(new MetricsTokenFilter(metrics, errors), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests((requests) -> requests
				// the second pass of a streamed answer (export, live stream) was
				// authorized on the first
				.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
				.permitAll()
				.requestMatchers("/api/**")
				.authenticated()
				.requestMatchers("/actuator/prometheus")
				.hasAuthority(MetricsTokenFilter.AUTHORITY)
				.anyRequest()
				.permitAll())
			.exceptionHandling((handling) -> handling
				.authenticationEntryPoint((request, response, ex) -> errors.write(response,
						ApiError.of(401, ApiKeyAuthenticationFilter.MISSING_KEY)))
				.accessDeniedHandler((request, response, ex) -> errors.write(response,
						ApiError.of(403, "This key may not use this endpoint."))));
		return http.build();
	}

}
