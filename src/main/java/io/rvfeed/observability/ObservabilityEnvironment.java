package io.rvfeed.observability;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Turns the operator's two switches into Spring Boot's settings, below anything set
 * explicitly:
 * <ul>
 * <li>{@code RVFEED_LOG_FORMAT} ({@code rvfeed.log-format}): {@code json} (Elastic Common
 * Schema), {@code ecs}, {@code logstash} or {@code gelf} makes the console log one JSON
 * object a line; unset or {@code text}, plain lines.</li>
 * <li>{@code RVFEED_TRACING_ENDPOINT} ({@code rvfeed.tracing.endpoint}): an OTLP/HTTP
 * traces URL, such as {@code http://collector:4318/v1/traces}, turns tracing on, every
 * request sampled; unset, tracing is off (no spans, no trace ids).</li>
 * </ul>
 */
public class ObservabilityEnvironment implements EnvironmentPostProcessor {

	static final String LOG_FORMAT = "rvfeed.log-format";

	static final String TRACING_ENDPOINT = "rvfeed.tracing.endpoint";

	/** Whether tracing is on; set here for the components that only matter then. */
	public static final String TRACING_ON = "rvfeed.tracing.enabled";

	private static final Set<String> STRUCTURED = Set.of("ecs", "logstash", "gelf");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> settings = new HashMap<>();
		String format = environment.getProperty(LOG_FORMAT, "").trim().toLowerCase(Locale.ROOT);
		if (format.equals("json")) {
			settings.put("logging.structured.format.console", "ecs");
		}
		else if (STRUCTURED.contains(format)) {
			settings.put("logging.structured.format.console", format);
		}
		else if (!format.isEmpty() && !format.equals("text")) {
			throw new IllegalStateException(
					"RVFEED_LOG_FORMAT must be json, ecs, logstash, gelf or text, not '" + format + "'.");
		}
		String endpoint = environment.getProperty(TRACING_ENDPOINT);
		if (StringUtils.hasText(endpoint)) {
			settings.put(TRACING_ON, "true");
			settings.put("management.opentelemetry.tracing.export.otlp.endpoint", endpoint.trim());
			settings.put("management.tracing.sampling.probability", "1.0");
		}
		else {
			settings.put(TRACING_ON, "false");
			// no tracer at all (Micrometer's no-op one): no spans, no trace ids
			settings.put("spring.autoconfigure.exclude", String.join(",",
					"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
					"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration"));
		}
		environment.getPropertySources().addLast(new MapPropertySource("rvfeed-observability", settings));
		if (!StringUtils.hasText(endpoint)) {
			// no empty [app,traceId,spanId] block in every plain log line
			environment.getPropertySources()
				.addFirst(new MapPropertySource("rvfeed-observability-no-trace-ids",
						Map.of("logging.expect-correlation-id", "false")));
		}
	}

}
