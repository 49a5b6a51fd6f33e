package io.rvfeed.support;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.rvfeed.RvFeedApplication;

/**
 * Another instance of the service, started by a test beside the suite's: on a random
 * port, without demo data or a bootstrap tenant, with the suite's key hash secret unless
 * the arguments name another.
 */
public final class ExtraService {

	private ExtraService() {
	}

	/**
	 * Starts an instance with these arguments, and defaults for the settings they omit.
	 */
	public static ConfigurableApplicationContext start(List<String> args) {
		List<String> all = new ArrayList<>(args);
		List<String> defaults = List.of("--server.port=0", "--rvfeed.demo.enabled=false", "--rvfeed.bootstrap.tenant=",
				"--rvfeed.bootstrap.api-key=",
				"--rvfeed.rate-limit.requests-per-second=" + IntegrationTest.DEFAULT_RATE,
				"--rvfeed.rate-limit.burst=" + IntegrationTest.DEFAULT_RATE,
				"--rvfeed.admin.token=" + IntegrationTest.ADMIN_TOKEN);
		for (String setting : defaults) {
			String name = setting.substring(0, setting.indexOf('=') + 1);
			if (args.stream().noneMatch((arg) -> arg.startsWith(name))) {
				all.add(setting);
			}
		}
		if (args.stream().noneMatch((arg) -> arg.startsWith("--rvfeed.api-keys."))) {
			all.add("--rvfeed.api-keys.hash-secret=" + IntegrationTest.KEY_HASH_SECRET);
		}
		return new SpringApplicationBuilder(RvFeedApplication.class).run(all.toArray(String[]::new));
	}

	/** The arguments that point a service at {@code jdbcUrl} with the suite's login. */
	public static List<String> database(HikariDataSource suite, String jdbcUrl) {
		List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + jdbcUrl));
		if (suite.getUsername() != null) {
			args.add("--spring.datasource.username=" + suite.getUsername());
		}
		if (suite.getPassword() != null) {
			args.add("--spring.datasource.password=" + suite.getPassword());
		}
		return args;
	}

	/** The suite's database server, as host and port. */
	public static URI server(HikariDataSource suite) {
		return URI.create(suite.getJdbcUrl().substring("jdbc:".length()));
	}

	/** {@code jdbcUrl} naming another database on the same server. */
	public static String otherDatabase(String jdbcUrl, String database) {
		return jdbcUrl.replaceFirst("(//[^/]+/)[^?]*", "$1" + database);
	}

	public static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
