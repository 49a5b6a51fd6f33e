package io.rvfeed.admin;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

import io.rvfeed.auth.ApiKeyInfo;
import io.rvfeed.auth.TenantInfo;
import io.rvfeed.ratelimit.RateLimit;
import io.rvfeed.web.ApiProblem;

/**
 * The admin operations from the command line, without a web server, on the service's
 * database ({@code SPRING_DATASOURCE_URL}, or the embedded database under
 * {@code ./data}):
 *
 * <pre>
 * java -jar rv-feed.jar tenants create --name NAME [--id UUID]
 * java -jar rv-feed.jar tenants list
 * java -jar rv-feed.jar keys create --tenant UUID --name NAME --scopes feed:read[,sessions:write] [--requests-per-second N --burst N]
 * java -jar rv-feed.jar keys list --tenant UUID
 * java -jar rv-feed.jar keys revoke --tenant UUID --key KEY_ID
 * java -jar rv-feed.jar keys rotate --tenant UUID --key KEY_ID
 * java -jar rv-feed.jar keys rate-limit --tenant UUID --key KEY_ID (--requests-per-second N --burst N | --default)
 * </pre>
 *
 * Arguments {@code --spring.*}, {@code --rvfeed.*} and {@code --logging.*} go to the
 * service's configuration.
 */
public final class AdminCommandLine {

	static final String USAGE = """
			Usage:
			  tenants create --name NAME [--id UUID]
			  tenants list
			  keys create --tenant UUID --name NAME --scopes feed:read[,sessions:write] [--requests-per-second N --burst N]
			  keys list --tenant UUID
			  keys revoke --tenant UUID --key KEY_ID
			  keys rotate --tenant UUID --key KEY_ID
			  keys rate-limit --tenant UUID --key KEY_ID (--requests-per-second N --burst N | --default)
			The database is SPRING_DATASOURCE_URL's, or the embedded one under ./data (stop the service first).""";

	private static final Set<String> GROUPS = Set.of("tenants", "keys");

	private static final List<String> SPRING_PREFIXES = List.of("--spring.", "--rvfeed.", "--logging.");

	private AdminCommandLine() {
	}

	/** Whether these are arguments of an admin command, rather than the service's. */
	public static boolean handles(String[] args) {
		return args.length > 0 && GROUPS.contains(args[0]);
	}

	/**
	 * Runs the command on an application context without a web server, and answers the
	 * exit code: 0 done, 1 refused (such as an unknown tenant), 2 usage error.
	 */
	public static int run(Class<?> application, String[] args) {
		List<String> command = new ArrayList<>();
		List<String> springArgs = new ArrayList<>(
				List.of("--rvfeed.cli.enabled=true", "--rvfeed.demo.enabled=false", "--spring.main.banner-mode=off"));
		for (String arg : args) {
			(SPRING_PREFIXES.stream().anyMatch(arg::startsWith) ? springArgs : command).add(arg);
		}
		Invocation invocation;
		try {
			invocation = Invocation.parse(command);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.println(USAGE);
			return 2;
		}
		ConfigurableApplicationContext context;
		try {
			context = new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
				.bannerMode(Banner.Mode.OFF)
				.logStartupInfo(false)
				// start-up failures are told below in one line, not as stack traces
				.properties("logging.level.root=warn", "logging.level.org.springframework.boot.SpringApplication=off",
						"logging.level.org.springframework.context=error")
				.run(springArgs.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			String cause = NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
			System.err.println("Could not open the service's database: " + cause);
			if (cause != null && cause.contains("epg-lock")) {
				System.err.println("The embedded database is in use by a running service: stop it first, "
						+ "or use the admin API (RVFEED_ADMIN_TOKEN) of the running service.");
			}
			return 1;
		}
		try (context) {
			return execute(context.getBean(KeyManagement.class), invocation, System.out, System.err);
		}
	}

	static int execute(KeyManagement management, Invocation invocation, PrintStream out, PrintStream err) {
		try {
			switch (invocation.group() + " " + invocation.action()) {
				case "tenants create" ->
					printTenant(out, management.createTenant(invocation.required("name"), invocation.uuidOrNull("id")));
				case "tenants list" -> management.tenants().forEach((tenant) -> printTenant(out, tenant));
				case "keys create" -> printNewKey(out,
						management.createKey(invocation.uuid("tenant"), invocation.required("name"),
								Arrays.asList(invocation.required("scopes").split(",")), KeyManagement.rateLimit(
										invocation.intOrNull("requests-per-second"), invocation.intOrNull("burst"))));
				case "keys list" -> {
					out.println("KEY_ID\tPREFIX\tNAME\tSCOPES\tCREATED\tLAST_USED\tREVOKED\tRATE_LIMIT");
					management.keys(invocation.uuid("tenant")).forEach((key) -> printKey(out, key));
				}
				case "keys revoke" ->
					printKey(out, management.revoke(invocation.uuid("tenant"), invocation.uuid("key")));
				case "keys rotate" ->
					printNewKey(out, management.rotate(invocation.uuid("tenant"), invocation.uuid("key")));
				case "keys rate-limit" -> {
					RateLimit limit = invocation.flag("default") ? null : KeyManagement
						.rateLimit(invocation.intOrNull("requests-per-second"), invocation.intOrNull("burst"));
					if (limit == null && !invocation.flag("default")) {
						throw new IllegalArgumentException("Give --requests-per-second and --burst, or --default.");
					}
					printKey(out, management.setRateLimit(invocation.uuid("tenant"), invocation.uuid("key"), limit));
				}
				default -> throw new IllegalArgumentException(
						"Unknown command: " + invocation.group() + " " + invocation.action());
			}
			return 0;
		}
		catch (IllegalArgumentException ex) {
			err.println(ex.getMessage());
			err.println(USAGE);
			return 2;
		}
		catch (ApiProblem problem) {
			err.println(problem.getMessage());
			return 1;
		}
	}

	private static void printTenant(PrintStream out, TenantInfo tenant) {
		out.println(tenant.tenantId() + "\t" + tenant.name() + "\t" + tenant.createdAt());
	}

	private static void printKey(PrintStream out, ApiKeyInfo key) {
		RateLimit limit = key.rateLimit();
		out.println(key.keyId() + "\t" + key.prefix() + "...\t" + key.name() + "\t"
				+ String.join(",", key.scopes().stream().sorted().map((scope) -> scope.value()).toList()) + "\t"
				+ key.createdAt() + "\t" + orDash(key.lastUsedAt()) + "\t" + orDash(key.revokedAt()) + "\t"
				+ ((limit != null) ? limit.requestsPerSecond() + "/s burst " + limit.burst() : "default"));
	}

	private static void printNewKey(PrintStream out, KeyManagement.NewKey key) {
		out.println("key id:  " + key.info().keyId());
		out.println("tenant:  " + key.info().tenantId());
		out.println("API key: " + key.apiKey());
		out.println(AdminController.SHOWN_ONCE);
	}

	private static String orDash(Object value) {
		return (value != null) ? value.toString() : "-";
	}

	/** A parsed command: {@code GROUP ACTION --option value ... --flag}. */
	record Invocation(String group, String action, Map<String, String> options) {

		static Invocation parse(List<String> args) {
			if (args.size() < 2 || !GROUPS.contains(args.get(0))) {
				throw new IllegalArgumentException("Name a command.");
			}
			Map<String, String> options = new HashMap<>();
			for (int i = 2; i < args.size(); i++) {
				String arg = args.get(i);
				if (!arg.startsWith("--") || arg.length() == 2) {
					throw new IllegalArgumentException("Unexpected argument: " + arg);
				}
				String name = arg.substring(2);
				int equals = name.indexOf('=');
				if (equals > 0) {
					options.put(name.substring(0, equals), name.substring(equals + 1));
				}
				else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
					options.put(name, args.get(++i));
				}
				else {
					options.put(name, "");
				}
			}
			return new Invocation(args.get(0), args.get(1), options);
		}

		String required(String name) {
			String value = this.options.get(name);
			if (value == null || value.isEmpty()) {
				throw new IllegalArgumentException("--" + name + " is required.");
			}
			return value;
		}

		UUID uuid(String name) {
			return parseUuid(name, required(name));
		}

		UUID uuidOrNull(String name) {
			String value = this.options.get(name);
			return (value == null) ? null : parseUuid(name, value);
		}

		Integer intOrNull(String name) {
			String value = this.options.get(name);
			if (value == null) {
				return null;
			}
			try {
				return Integer.valueOf(value);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("--" + name + " must be a whole number.");
			}
		}

		boolean flag(String name) {
			return this.options.containsKey(name);
		}

		private static UUID parseUuid(String name, String value) {
			try {
				return UUID.fromString(value);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("--" + name + " must be a UUID.");
			}
		}

	}

}
