package io.rvfeed.db;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jooq.autoconfigure.ExceptionTranslatorExecuteListener;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.support.JdbcTransactionManager;

import io.rvfeed.web.ApiErrorWriter;

/** Start-up without the database, and behaviour while it is away. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	@Bean
	FlywayMigrationStrategy deferrableMigration(DatabaseAvailability database) {
		return database::migrateAtStartUp;
	}

	/**
	 * Readiness ({@code db} in the readiness group): what the database check last found,
	 * answered at once, never waiting on the database.
	 */
	@Bean
	HealthIndicator dbHealthIndicator(DatabaseAvailability database) {
		return () -> database.available() ? Health.up().build() : Health.down().build();
	}

	@Bean
	JdbcTransactionManager transactionManager(DataSource dataSource,
			ObjectProvider<TransactionManagerCustomizers> customizers) {
		JdbcTransactionManager manager = new LostConnectionTransactionManager(dataSource);
		customizers.ifAvailable((each) -> each.customize(manager));
		return manager;
	}

	@Bean
	ExceptionTranslatorExecuteListener jooqExceptionTranslator() {
		return new QuietConnectionFailureTranslator();
	}

	@Bean
	@ConditionalOnWebApplication
	FilterRegistrationBean<DatabaseGate> databaseGate(DatabaseAvailability database, ApiErrorWriter errors) {
		FilterRegistrationBean<DatabaseGate> registration = new FilterRegistrationBean<>(
				new DatabaseGate(database, errors));
		// after the request log, before body limits and authentication
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
		return registration;
	}

}
