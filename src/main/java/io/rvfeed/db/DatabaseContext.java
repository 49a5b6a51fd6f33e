package io.rvfeed.db;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The Spring side of {@link DatabaseSettings}: the database alone, for a command. */
final class DatabaseContext {

	private DatabaseContext() {
	}

	static <T, R> R with(List<String> settings, List<Class<?>> components, Class<T> bean, Function<T, R> work) {
		// a command reads and writes the primary only
		List<String> args = new ArrayList<>(
				List.of("--rvfeed.cli.enabled=true", "--rvfeed.demo.enabled=false", "--rvfeed.read-replica.url="));
		args.addAll(settings);
		List<Class<?>> sources = new ArrayList<>(components);
		sources.add(DatabaseOnly.class);
		ConfigurableApplicationContext context;
		try {
			context = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE)
				.bannerMode(Banner.Mode.OFF)
				.logStartupInfo(false)
				// start-up failures are told in one line, not as stack traces
				.properties("logging.level.root=warn", "logging.level.org.springframework.boot.SpringApplication=off",
						"logging.level.org.springframework.context=error")
				.run(args.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			String cause = NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
			String message = "Could not open the service's database: " + cause;
			if (cause != null && cause.contains(EmbeddedDatabaseBackup.LOCK_FILE)) {
				message += "\nThe embedded database is in use by a running service: stop it first, "
						+ "or use the admin API (RVFEED_ADMIN_TOKEN) of the running service.";
			}
			throw new DatabaseSettings.Unavailable(message);
		}
		try (context) {
			return work.apply(context.getBean(bean));
		}
	}

	static EmbeddedDatabaseProperties embeddedDatabase(List<String> settings) {
		return Binder.get(environment(settings))
			.bind("rvfeed.embedded-db", EmbeddedDatabaseProperties.class)
			.orElseGet(EmbeddedDatabaseProperties::defaults);
	}

	static boolean namesADatabaseServer(List<String> settings) {
		String url = environment(settings).getProperty("spring.datasource.url");
		return url != null && !url.isBlank();
	}

	private static StandardEnvironment environment(List<String> settings) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(settings.toArray(String[]::new)));
		return environment;
	}

	/** The database, migrated, and what transactions and jOOQ need on it. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
			TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class,
			JooqAutoConfiguration.class })
	@Import({ EmbeddedDatabaseConfiguration.class, ReadDatabaseConfiguration.class })
	@ConfigurationPropertiesScan("io.rvfeed")
	static class DatabaseOnly {

	}

}
