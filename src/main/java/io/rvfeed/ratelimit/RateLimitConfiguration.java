package io.rvfeed.ratelimit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	@Bean(destroyMethod = "close")
	RateLimiter rateLimiter(RateLimitProperties properties) {
		return new RateLimiter(properties);
	}

}
