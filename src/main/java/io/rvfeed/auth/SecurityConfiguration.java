package io.rvfeed.auth;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.CorsFilter;

import io.rvfeed.ratelimit.RateLimiter;
import io.rvfeed.web.ApiActivity;
import io.rvfeed.web.ApiError;
import io.rvfeed.web.ApiErrorWriter;

/**
 * Stateless bearer-key security: {@code /api/} needs an API key (and is rate limited per
 * key), Prometheus needs the metrics token, health and everything else are open (unknown
 * paths answer 404). CORS is closed unless {@code rvfeed.cors.allowed-origins} names
 * origins. The admin API has its own chain, in {@code io.rvfeed.admin}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

	/**
	 * No observations of Spring Security's own filters, authentication and authorization:
	 * {@code http.server.requests} already times every request, and an observation
	 * started and stopped around each filter of the chain showed in profiles of small
	 * requests.
	 */
	@Bean
	static SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeyRepository keys, ApiErrorWriter errors,
			MetricsProperties metrics, RateLimiter rateLimiter, CorsProperties cors, ApiActivity activity)
			throws Exception {
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.addFilterBefore(new ApiKeyAuthenticationFilter(keys, errors, rateLimiter, activity),
					AnonymousAuthenticationFilter.class)
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
		if (cors.open()) {
			CorsFilter corsFilter = new CorsFilter(cors.configurationSource());
			corsFilter.setCorsProcessor(new StandardBodyCorsProcessor(errors));
			http.addFilter(corsFilter);
		}
		else {
			http.cors(AbstractHttpConfigurer::disable);
		}
		return http.build();
	}

}
