package io.rvfeed.lifecycle;

import java.time.Instant;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.rvfeed.web.RequestHeaders;

/**
 * {@code X-Data-Since} on the reads of the feed, its changes, exports and stream, and the
 * events feed: the time from which the tenant's sessions are all held (older ones may
 * have been purged by retention). Absent while nothing was ever purged.
 */
@Configuration(proxyBeanMethods = false)
class DataSinceHeader implements WebMvcConfigurer {

	static final String HEADER = "X-Data-Since";

	private final PurgeHorizon horizon;

	DataSinceHeader(PurgeHorizon horizon) {
		this.horizon = horizon;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new HandlerInterceptor() {
			@Override
			public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
				if ("GET".equals(request.getMethod())
						&& request.getAttribute(RequestHeaders.TENANT_ATTRIBUTE) instanceof UUID tenantId) {
					Instant since = DataSinceHeader.this.horizon.dataSince(tenantId);
					if (since != null) {
						response.setHeader(HEADER, since.toString());
					}
				}
				return true;
			}
		})
			.addPathPatterns("/api/v2/rv-activity-feed", "/api/v2/rv-activity-feed/**", "/api/v2/rv-session-events",
					"/api/v2/rv-session-events/**");
	}

}
