package io.rvfeed.admin;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.rvfeed.audit.AuditActor;
import io.rvfeed.audit.AuditEntry;
import io.rvfeed.audit.AuditLog;
import io.rvfeed.auth.ApiKeyInfo;
import io.rvfeed.auth.ApiKeyRepository;
import io.rvfeed.auth.ApiKeyStorage;
import io.rvfeed.auth.TenantInfo;
import io.rvfeed.auth.TenantRepository;
import io.rvfeed.db.DatabaseSettings;
import io.rvfeed.ratelimit.RateLimit;
import io.rvfeed.web.ApiProblem;

/**
 * The admin operations from the command line, without a web server, on the service's
 * database ({@code SPRING_DATASOURCE_URL}, or the embedded database under
 * {@code ./data}): {@code tenants create|list} and
 * {@code keys create|list|revoke|rotate|rate-limit}. Exit codes: 0 done, 1 refused (such
 * as an unknown tenant, or the database unavailable), 2 usage error.
 */
public final class AdminCommandLine {

	static final String DATABASE_FOOTER = "%nThe database is SPRING_DATASOURCE_URL's, or the embedded one under ./data "
			+ "(stop the service first). Settings such as --spring.datasource.url=... may follow the options.";

	private AdminCommandLine() {
	}

	/** Runs one operation on key management: where it comes from, and the operation. */
	interface Operations {

		int run(DatabaseSettings settings, Function<KeyManagement, Integer> operation);

		/** Opens the service's database for the one operation. */
		Operations SERVICE_DATABASE = (settings,
				operation) -> settings
					.with(KeyManagement.class, operation,
							Stream.concat(
									Stream.concat(Stream.of(KeyManagement.class, TenantRepository.class,
											ApiKeyRepository.class), AuditLog.components().stream()),
									ApiKeyStorage.components().stream())
								.toList());

	}

	/** Runs {@code tenants ...} or {@code keys ...} on the given key management. */
	static int execute(KeyManagement management, PrintStream out, PrintStream err, String... args) {
		Operations given = (settings, operation) -> operation.apply(management);
		CommandLine commandLine = new CommandLine(new Root()).addSubcommand(new CommandLine(new Tenants(given)))
			.addSubcommand(new CommandLine(new Keys(given)));
		commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
		commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
		return commandLine.execute(args);
	}

	@Command(name = "rv-feed")
	static final class Root {

	}

	/** What every operation does with its outcome: print it, or tell why it failed. */
	abstract static class Group {

		private final Operations operations;

		@Spec
		CommandSpec spec;

		Group(Operations operations) {
			this.operations = operations;
		}

		int run(DatabaseSettings settings, Function<KeyManagement, Object> operation) {
			CommandLine commandLine = this.spec.commandLine();
			return this.operations.run(settings, (management) -> {
				try {
					operation.apply(management);
					commandLine.getOut().flush();
					return 0;
				}
				catch (ApiProblem problem) {
					commandLine.getErr().println(problem.getMessage());
					return 1;
				}
			});
		}

		PrintWriter out() {
			return this.spec.commandLine().getOut();
		}

	}

	@Command(name = "tenants", description = "Create and list tenants.", footer = DATABASE_FOOTER,
			mixinStandardHelpOptions = true)
	public static final class Tenants extends Group {

		public Tenants() {
			this(Operations.SERVICE_DATABASE);
		}

		Tenants(Operations operations) {
			super(operations);
		}

		@Command(name = "create", description = "Create a tenant; prints its id, name and creation time.",
				footer = DATABASE_FOOTER, mixinStandardHelpOptions = true)
		int create(@Option(names = "--name", required = true, description = "The tenant's name.") String name,
				@Option(names = "--id", paramLabel = "UUID",
						description = "Its id (default: a new one).") UUID tenantId,
				@Mixin DatabaseSettings settings) {
			return run(settings, (management) -> {
				printTenant(out(),
						management.audited(AuditActor.cli(), "tenant.created", tenantId,
								(tenantId != null) ? AuditEntry.tenant(tenantId) : "tenant/(new)",
								() -> management.createTenant(AuditActor.cli(), name, tenantId)));
				return null;
			});
		}

		@Command(name = "list", description = "List every tenant: id, name, creation time.", footer = DATABASE_FOOTER,
				mixinStandardHelpOptions = true)
		int list(@Mixin DatabaseSettings settings) {
			return run(settings, (management) -> {
				management.tenants().forEach((tenant) -> printTenant(out(), tenant));
				return null;
			});
		}

	}

	@Command(name = "keys", description = "Create, list, revoke and rotate API keys; set their rate limits.",
			footer = DATABASE_FOOTER, mixinStandardHelpOptions = true)
	public static final class Keys extends Group {

		public Keys() {
			this(Operations.SERVICE_DATABASE);
		}

		Keys(Operations operations) {
			super(operations);
		}

		@Command(name = "create", description = "Create a key; prints it once (only its hash is stored).",
				footer = DATABASE_FOOTER, mixinStandardHelpOptions = true)
		int create(@Option(names = "--tenant", required = true, paramLabel = "UUID") UUID tenantId,
				@Option(names = "--name", required = true, description = "The key's name.") String name,
				@Option(names = "--scopes", required = true, paramLabel = "SCOPES",
						description = "Comma-separated: feed:read, sessions:write, webhooks:manage.") String scopes,
				@Option(names = "--requests-per-second", paramLabel = "N",
						description = "Its own rate limit (with --burst; default: the service's).") Integer requestsPerSecond,
				@Option(names = "--burst", paramLabel = "N") Integer burst, @Mixin DatabaseSettings settings) {
			RateLimit limit = rateLimit(requestsPerSecond, burst);
			return run(settings, (management) -> {
				printNewKey(out(),
						management.audited(AuditActor.cli(), "key.created", tenantId, AuditEntry.tenant(tenantId),
								() -> management.createKey(AuditActor.cli(), tenantId, name,
										Arrays.asList(scopes.split(",")), limit)));
				return null;
			});
		}

		@Command(name = "list",
				description = "List a tenant's keys: id, prefix, name, scopes, created, last used, revoked, rate limit.",
				footer = DATABASE_FOOTER, mixinStandardHelpOptions = true)
		int list(@Option(names = "--tenant", required = true, paramLabel = "UUID") UUID tenantId,
				@Mixin DatabaseSettings settings) {
			return run(settings, (management) -> {
				List<ApiKeyInfo> keys = management.keys(tenantId);
				out().println("KEY_ID\tPREFIX\tNAME\tSCOPES\tCREATED\tLAST_USED\tREVOKED\tRATE_LIMIT");
				keys.forEach((key) -> printKey(out(), key));
				return null;
			});
		}

		@Command(name = "revoke", description = "Revoke a key: refused at once by every instance.",
				footer = DATABASE_FOOTER, mixinStandardHelpOptions = true)
		int revoke(@Option(names = "--tenant", required = true, paramLabel = "UUID") UUID tenantId,
				@Option(names = "--key", required = true, paramLabel = "KEY_ID") UUID keyId,
				@Mixin DatabaseSettings settings) {
			return run(settings, (management) -> {
				printKey(out(), management.audited(AuditActor.cli(), "key.revoked", tenantId,
						AuditEntry.key(tenantId, keyId), () -> management.revoke(AuditActor.cli(), tenantId, keyId)));
				return null;
			});
		}

		@Command(name = "rotate",
				description = "Make a new key with the same name, scopes and rate limit, and revoke the old one.",
				footer = DATABASE_FOOTER, mixinStandardHelpOptions = true)
		int rotate(@Option(names = "--tenant", required = true, paramLabel = "UUID") UUID tenantId,
				@Option(names = "--key", required = true, paramLabel = "KEY_ID") UUID keyId,
				@Mixin DatabaseSettings settings) {
			return run(settings, (management) -> {
				printNewKey(out(), management.audited(AuditActor.cli(), "key.rotated", tenantId,
						AuditEntry.key(tenantId, keyId), () -> management.rotate(AuditActor.cli(), tenantId, keyId)));
				return null;
			});
		}

		@Command(name = "rate-limit", description = "Give a key its own rate limit, or --default to drop it.",
				footer = DATABASE_FOOTER, mixinStandardHelpOptions = true)
		int rateLimit(@Option(names = "--tenant", required = true, paramLabel = "UUID") UUID tenantId,
				@Option(names = "--key", required = true, paramLabel = "KEY_ID") UUID keyId,
				@Option(names = "--requests-per-second", paramLabel = "N") Integer requestsPerSecond,
				@Option(names = "--burst", paramLabel = "N") Integer burst,
				@Option(names = "--default", description = "Back to the service's default limit.") boolean toDefault,
				@Mixin DatabaseSettings settings) {
			RateLimit limit = toDefault ? null : rateLimit(requestsPerSecond, burst);
			if (toDefault == (requestsPerSecond != null || burst != null)) {
				throw new ParameterException(this.spec.commandLine(),
						"Give --requests-per-second and --burst, or --default.");
			}
			return run(settings, (management) -> {
				printKey(out(),
						management.audited(AuditActor.cli(),
								(limit != null) ? "key.rate_limit_set" : "key.rate_limit_cleared", tenantId,
								AuditEntry.key(tenantId, keyId),
								() -> management.setRateLimit(AuditActor.cli(), tenantId, keyId, limit)));
				return null;
			});
		}

		private RateLimit rateLimit(Integer requestsPerSecond, Integer burst) {
			try {
				return KeyManagement.rateLimit(requestsPerSecond, burst);
			}
			catch (ApiProblem problem) {
				throw new ParameterException(this.spec.commandLine(), problem.getMessage());
			}
		}

	}

	private static void printTenant(PrintWriter out, TenantInfo tenant) {
		out.println(tenant.tenantId() + "\t" + tenant.name() + "\t" + tenant.createdAt());
	}

	private static void printKey(PrintWriter out, ApiKeyInfo key) {
		RateLimit limit = key.rateLimit();
		out.println(key.keyId() + "\t" + key.prefix() + "...\t" + key.name() + "\t"
				+ String.join(",", key.scopes().stream().sorted().map((scope) -> scope.value()).toList()) + "\t"
				+ key.createdAt() + "\t" + orDash(key.lastUsedAt()) + "\t" + orDash(key.revokedAt()) + "\t"
				+ ((limit != null) ? limit.requestsPerSecond() + "/s burst " + limit.burst() : "default"));
	}

	private static void printNewKey(PrintWriter out, KeyManagement.NewKey key) {
		out.println("key id:  " + key.info().keyId());
		out.println("tenant:  " + key.info().tenantId());
		out.println("API key: " + key.apiKey());
		out.println(AdminController.SHOWN_ONCE);
	}

	private static String orDash(Object value) {
		return (value != null) ? value.toString() : "-";
	}

}
