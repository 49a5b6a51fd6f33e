package io.rvfeed.docs;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The browsable API reference at {@code /docs}, rendered by the packaged Swagger UI. */
@Configuration(proxyBeanMethods = false)
class DocsConfiguration implements WebMvcConfigurer {

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addRedirectViewController("/docs", "/docs/");
		registry.addViewController("/docs/").setViewName("forward:/docs/index.html");
	}

}
