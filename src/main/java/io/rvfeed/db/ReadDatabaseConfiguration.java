package io.rvfeed.db;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.DataSourceConnectionProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.PlatformTransactionManager;

import io.rvfeed.web.ApiErrorWriter;

/**
 * The {@link ReadDatabase}: the primary's beans without a replica; with one, its own pool
 * and the connections routed by {@link ReplicaMonitor}.
 */
@Configuration(proxyBeanMethods = false)
class ReadDatabaseConfiguration {

	@Bean(destroyMethod = "close")
	ReadDatabase readDatabase(ReadReplicaProperties properties, DatabaseProperties database, DataSource primary,
			DSLContext dsl, JdbcOperations jdbc, PlatformTransactionManager transactions,
			ObjectProvider<MeterRegistry> meters) {
		if (!properties.configured()) {
			return new ReadDatabase(dsl, jdbc, transactions, null);
		}
		ReplicaMonitor monitor = new ReplicaMonitor(properties, database, replicaPool(properties, primary), primary,
				meters.getIfAvailable());
		DataSource routed = new ReadRoutingDataSource(monitor, primary);
		DSLContext readDsl = DSL.using(dsl.configuration()
			.derive(new DataSourceConnectionProvider(new TransactionAwareDataSourceProxy(routed))));
		monitor.start();
		return new ReadDatabase(readDsl, new JdbcTemplate(routed), new LostConnectionTransactionManager(routed),
				monitor);
	}

	/**
	 * The replica's pool: the primary's connection settings (timeouts, keep-alive), its
	 * login unless one is given, read-only, and a short wait for a connection (the read
	 * uses the primary instead).
	 */
	static HikariDataSource replicaPool(ReadReplicaProperties properties, DataSource primary) {
		HikariDataSource pool = new HikariDataSource();
		String username = properties.username();
		String password = properties.password();
		if (primary instanceof HikariDataSource hikari) {
			pool.setDataSourceProperties(hikari.getDataSourceProperties());
			pool.setKeepaliveTime(hikari.getKeepaliveTime());
			pool.setValidationTimeout(hikari.getValidationTimeout());
			if (username == null) {
				username = hikari.getUsername();
				if (password == null) {
					password = hikari.getPassword();
				}
			}
		}
		pool.setJdbcUrl(properties.url());
		pool.setUsername(username);
		pool.setPassword(password);
		pool.setPoolName("rvfeed-read-replica");
		pool.setMaximumPoolSize(properties.poolSize());
		pool.setMinimumIdle(Math.min(2, properties.poolSize()));
		pool.setConnectionTimeout(properties.connectionTimeout().toMillis());
		pool.setReadOnly(true);
		// start while the replica is away: reads use the primary until it answers
		pool.setInitializationFailTimeout(-1);
		return pool;
	}

	@Bean
	@ConditionalOnWebApplication
	FilterRegistrationBean<ConsistencyTokenFilter> consistencyTokenFilter(ReadDatabase read, ApiErrorWriter errors) {
		FilterRegistrationBean<ConsistencyTokenFilter> registration = new FilterRegistrationBean<>(
				new ConsistencyTokenFilter(read, errors));
		// after authentication (Spring Security's chain runs at -100)
		registration.setOrder(0);
		return registration;
	}

}
