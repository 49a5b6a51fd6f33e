package io.rvfeed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import io.rvfeed.db.ReadReplicaProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code rvfeed.*} settings as the service binds them at start-up, without starting
 * it: every record with its defaults, and a bad value failing the start with a message
 * that names the setting.
 */
class SettingsTest {

	@Configuration(proxyBeanMethods = false)
	@ConfigurationPropertiesScan("io.rvfeed")
	static class AllSettings {

	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(AllSettings.class);

	/** Each record's simple name and its {@code toString()} with nothing set. */
	private static final Map<String, String> DEFAULTS = new TreeMap<>(Map.ofEntries(
			Map.entry("AdminProperties", "AdminProperties[token=null]"),
			Map.entry("ApiKeyProperties", "ApiKeyProperties[hashSecret=null, hashSecretFile=data/key-hash-secret]"),
			Map.entry("BootstrapProperties", "BootstrapProperties[tenant=null, apiKey=null]"),
			Map.entry("CorsProperties", "CorsProperties[allowedOrigins=[], maxAge=PT30M]"),
			Map.entry("DatabaseProperties", "DatabaseProperties[checkInterval=PT1S, checkTimeout=PT2S]"),
			Map.entry("DemoProperties", "DemoProperties[enabled=null, sessions=3000]"),
			Map.entry("EmbeddedDatabaseProperties",
					"EmbeddedDatabaseProperties[dataDirectory=data/postgres, port=0, deleteOnStop=false, nonDurableForTests=false]"),
			Map.entry("ExportProperties",
					"ExportProperties[writeDeadline=PT15S, maxDuration=PT1H, maxPerKey=2, maxPerTenant=3, maxConcurrent=null]"),
			Map.entry("FeedCountsProperties", "FeedCountsProperties[compactInterval=PT1S]"),
			Map.entry("FeedPlanProperties", "FeedPlanProperties[fewDeviceNameSessions=15000]"),
			Map.entry("LifecycleProperties",
					"LifecycleProperties[batchSize=1000, batchPause=PT0.02S, jobInterval=PT30S, retentionInterval=PT1H]"),
			Map.entry("MetricsProperties", "MetricsProperties[token=null]"),
			Map.entry("RateLimitProperties",
					"RateLimitProperties[requestsPerSecond=20, burst=40, redisUrl=null, "
							+ "redisKeyPrefix=rvfeed:rate-limit:, redisTimeout=PT0.25S, redisRetryInterval=PT5S]"),
			Map.entry("ReadReplicaProperties",
					"ReadReplicaProperties[url=null, username=null, password=null, maxLag=PT5S, "
							+ "checkInterval=PT1S, poolSize=20, connectionTimeout=PT1S]"),
			Map.entry("RequestLimitsProperties",
					"RequestLimitsProperties[maxQueryLength=8192B, maxBodySize=1048576B, bodyTimeout=PT10S, maxBodyReads=64, maxBodyReadsPerTenant=16, maxBodyReadsPerKey=8]"),
			Map.entry("RequestLogProperties", "RequestLogProperties[enabled=true, trustedProxies=[]]"),
			Map.entry("RevocationProperties", "RevocationProperties[checkInterval=PT2S]"),
			Map.entry("StatsProperties",
					"StatsProperties[queryTimeout=PT30S, maxConcurrent=4, maxPerTenant=2, queueTimeout=PT10S, "
							+ "compactInterval=PT1S, keptCells=200000]"),
			Map.entry("StreamProperties",
					"StreamProperties[pollInterval=PT0.5S, keepAlive=PT15S, batch=500, writeDeadline=PT10S, "
							+ "maxPerKey=10, maxPerTenant=30, maxOpen=1000]"),
			Map.entry("WebhookProperties",
					"WebhookProperties[deliveryEnabled=true, allowPrivateTargets=false, "
							+ "retrySchedule=[PT5S, PT5M, PT30M, PT2H, PT5H, PT10H, PT10H], disableAfter=PT120H, "
							+ "timeout=PT10S, maxConcurrency=32, maxPerEndpoint=4, pollInterval=PT0.25S, "
							+ "secretOverlap=PT24H, maxEndpointsPerTenant=50, retention=PT720H, yieldAboveCpu=0.8, "
							+ "yieldRate=100]")));

	@Test
	void withNothingSetEveryRecordHasItsDefaults() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			Map<String, String> settings = new TreeMap<>();
			context.getBeansWithAnnotation(ConfigurationProperties.class)
				.values()
				.forEach((record) -> settings.put(record.getClass().getSimpleName(), record.toString()));
			assertThat(settings).containsExactlyEntriesOf(DEFAULTS);
		});
	}

	@Test
	void emptyValuesOfUnsetEnvironmentVariablesMeanUnset() {
		this.runner
			.withPropertyValues("rvfeed.admin.token=", "rvfeed.bootstrap.api-key=", "rvfeed.rate-limit.redis-url=",
					"rvfeed.demo.enabled=", "rvfeed.cors.allowed-origins=", "rvfeed.read-replica.url=",
					"rvfeed.read-replica.username=", "rvfeed.read-replica.password=")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aBadValueFailsTheStart() {
		this.runner.withPropertyValues("rvfeed.stream.batch=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("Failed to bind properties under 'rvfeed.stream'")
				.hasStackTraceContaining("rvfeed.stream.batch must be at least 1, not 0");
		});
	}

	/** The records, by the prefix of their settings. */
	private static final Map<String, Class<?>> RECORDS = records();

	private static Map<String, Class<?>> records() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		Map<String, Class<?>> records = new TreeMap<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents("io.rvfeed")) {
			Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
			records.put(type.getAnnotation(ConfigurationProperties.class).value(), type);
		}
		return records;
	}

	/** Binds the setting's record as the start-up does, with only this setting given. */
	private static void bind(String setting) {
		String name = setting.substring(0, setting.indexOf('='));
		String prefix = RECORDS.keySet()
			.stream()
			.filter((candidate) -> name.startsWith(candidate + "."))
			.findFirst()
			.orElseThrow();
		Binder binder = new Binder(
				List.of(new MapConfigurationPropertySource(Map.of(name, setting.substring(setting.indexOf('=') + 1)))),
				null, ApplicationConversionService.getSharedInstance());
		binder.bindOrCreate(prefix, RECORDS.get(prefix));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					rvfeed.stream.poll-interval=0s                  | rvfeed.stream.poll-interval must be positive, not PT0S
					rvfeed.stream.keep-alive=-1s                    | rvfeed.stream.keep-alive must be positive
					rvfeed.stream.batch=0                           | rvfeed.stream.batch must be at least 1, not 0
					rvfeed.feed-counts.compact-interval=0ms         | rvfeed.feed-counts.compact-interval must be positive
					rvfeed.feed-plan.few-device-name-sessions=-1    | rvfeed.feed-plan.few-device-name-sessions must be 0 or more, not -1
					rvfeed.demo.sessions=-5                         | rvfeed.demo.sessions must be 0 or more, not -5
					rvfeed.embedded-db.port=70000                   | rvfeed.embedded-db.port must be from 0 to 65535, not 70000
					rvfeed.limits.max-query-length=0B               | rvfeed.limits.max-query-length must be positive
					rvfeed.limits.max-body-size=3GB                 | rvfeed.limits.max-body-size must be from 1B to under 2GB
					rvfeed.cors.max-age=-1m                         | rvfeed.cors.max-age must not be negative
					rvfeed.rate-limit.requests-per-second=0         | rvfeed.rate-limit.requests-per-second (RVFEED_RATE_LIMIT_REQUESTS_PER_SECOND) must be from 1 to 1000000000, not 0
					rvfeed.rate-limit.burst=-3                      | rvfeed.rate-limit.burst (RVFEED_RATE_LIMIT_BURST) must be from 1 to 1000000000, not -3
					rvfeed.rate-limit.redis-url=localhost:6379      | rvfeed.rate-limit.redis-url (RVFEED_REDIS_URL) must be a Redis URL such as redis://127.0.0.1:6379
					rvfeed.rate-limit.redis-timeout=0s              | rvfeed.rate-limit.redis-timeout must be positive
					rvfeed.rate-limit.redis-retry-interval=-1s      | rvfeed.rate-limit.redis-retry-interval must not be negative
					rvfeed.admin.token=short                        | rvfeed.admin.token (RVFEED_ADMIN_TOKEN) must be at least 16 characters long
					rvfeed.bootstrap.api-key=short                  | rvfeed.bootstrap.api-key (RVFEED_BOOTSTRAP_API_KEY) must be at least 16 characters long
					rvfeed.stream.write-deadline=0s                 | rvfeed.stream.write-deadline must be positive
					rvfeed.stream.max-per-key=0                     | rvfeed.stream.max-per-key, max-per-tenant and max-open must be at least 1
					rvfeed.export.max-concurrent=0                  | rvfeed.export.max-per-key, max-per-tenant and max-concurrent must be at least 1
					rvfeed.export.write-deadline=-1s                | rvfeed.export.write-deadline must be positive
					rvfeed.revocation.check-interval=0s             | rvfeed.revocation.check-interval must be positive
					rvfeed.limits.body-timeout=0s                   | rvfeed.limits.body-timeout must be positive
					rvfeed.stats.query-timeout=500ms                | rvfeed.stats.query-timeout must be at least 1s
					rvfeed.stats.max-per-tenant=0                   | rvfeed.stats.max-concurrent and max-per-tenant must be at least 1
					rvfeed.stats.compact-interval=1ms               | rvfeed.stats.compact-interval must be at least 10ms
					rvfeed.stats.kept-cells=-1                      | rvfeed.stats.kept-cells must not be negative, not -1
					rvfeed.stream.batch=many                        | Failed to convert
					rvfeed.read-replica.url=postgres://replica/db   | rvfeed.read-replica.url (RVFEED_READ_DATASOURCE_URL) must be a jdbc:postgresql: URL
					rvfeed.read-replica.max-lag=0s                  | rvfeed.read-replica.max-lag must be positive
					rvfeed.read-replica.max-lag=1s                  | rvfeed.read-replica.max-lag must be longer than rvfeed.read-replica.check-interval
					rvfeed.read-replica.check-interval=10ms         | rvfeed.read-replica.check-interval must be at least 100ms
					rvfeed.read-replica.pool-size=0                 | rvfeed.read-replica.pool-size must be at least 1
					rvfeed.read-replica.connection-timeout=10ms     | rvfeed.read-replica.connection-timeout must be at least 250ms
					rvfeed.lifecycle.batch-size=0                   | rvfeed.lifecycle.batch-size must be from 1 to 100000, not 0
					rvfeed.lifecycle.batch-pause=-1ms               | rvfeed.lifecycle.batch-pause must not be negative
					rvfeed.lifecycle.job-interval=0s                | rvfeed.lifecycle.job-interval must be positive
					rvfeed.lifecycle.retention-interval=0s          | rvfeed.lifecycle.retention-interval must be positive
					""")
	void aBadValueIsRefusedNamingTheSetting(String setting, String message) {
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(setting))
			.withMessageStartingWith("Failed to bind properties under 'rvfeed.")
			.satisfies((failure) -> assertThat(failure).hasStackTraceContaining(message));
	}

	@Test
	void aRedisUrlsPasswordIsNotRepeatedWhenItIsRefused() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind("rvfeed.rate-limit.redis-url=http://:hunter2@cache:6379"))
			.satisfies((failure) -> assertThat(NestedExceptionUtils.getMostSpecificCause(failure))
				.hasMessageNotContaining("hunter2"));
	}

	@Test
	void aReadReplicasPasswordIsNeverShown() {
		this.runner
			.withPropertyValues("rvfeed.read-replica.url=jdbc:postgresql://replica/rvfeed",
					"rvfeed.read-replica.password=hunter2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReadReplicaProperties replica = context.getBean(ReadReplicaProperties.class);
				assertThat(replica.password()).isEqualTo("hunter2");
				assertThat(replica.toString()).doesNotContain("hunter2").contains("password=(set)");
			});
	}

	/** Every setting the configuration metadata lists has its row in the README. */
	@Test
	void everySettingIsInTheReadme() throws IOException {
		String readme = Files.readString(Path.of("README.md"));
		JsonNode metadata;
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		List<String> settings = new ArrayList<>();
		metadata.get("properties").forEach((property) -> settings.add(property.get("name").asString()));
		// the service's own settings (the embedded pool also binds Boot's
		// spring.datasource.hikari.*)
		settings.removeIf((setting) -> !setting.startsWith("rvfeed."));
		assertThat(settings).hasSizeGreaterThan(20);
		for (String setting : settings) {
			assertThat(readme).as("README row of %s", setting).contains("| `" + setting + "` |");
		}
	}

	@Test
	void everyRecordIsFound() {
		// a record the scan finds but the defaults above do not list fails here
		assertThat(RECORDS.values().stream().map(Class::getSimpleName)).hasSameElementsAs(DEFAULTS.keySet());
	}

}
