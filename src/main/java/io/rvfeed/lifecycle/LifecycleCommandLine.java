package io.rvfeed.lifecycle;

import java.io.PrintWriter;
import java.util.UUID;
import java.util.function.BiConsumer;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.rvfeed.audit.AuditActor;
import io.rvfeed.db.DatabaseSettings;
import io.rvfeed.web.ApiProblem;

/**
 * {@code data delete-tenant|retention|purge|erase}: the data lifecycle from the command
 * line, on the service's database, recorded in the audit log as {@code cli:<os user>}.
 * Exit codes: 0 done, 1 refused, 2 usage error.
 */
public final class LifecycleCommandLine {

	static final String FOOTER = "%nThe database is SPRING_DATASOURCE_URL's, or the embedded one under ./data "
			+ "(stop the service first). Settings such as --spring.datasource.url=... may follow the options.";

	private LifecycleCommandLine() {
	}

	@Command(name = "data", description = "Tenant deletion, retention and erasure of a person (data protection).",
			footer = FOOTER, mixinStandardHelpOptions = true)
	public static final class Data {

		@Spec
		CommandSpec spec;

		int run(DatabaseSettings settings, BiConsumer<LifecycleOperations, PrintWriter> operation) {
			PrintWriter out = this.spec.commandLine().getOut();
			PrintWriter err = this.spec.commandLine().getErr();
			return settings.with(LifecycleOperations.class, (operations) -> {
				try {
					operation.accept(operations, out);
					out.flush();
					return 0;
				}
				catch (ApiProblem problem) {
					err.println(problem.getMessage());
					return 1;
				}
			}, LifecycleOperations.components());
		}

		@Command(name = "delete-tenant",
				description = "Revoke a tenant's keys at once, then delete all its data; waits until it is done.",
				footer = FOOTER, mixinStandardHelpOptions = true)
		int deleteTenant(@Option(names = "--tenant", required = true, paramLabel = "UUID") UUID tenantId,
				@Mixin DatabaseSettings settings) {
			return run(settings, (operations, out) -> {
				LifecycleJob job = operations.deletion.request(AuditActor.cli(), tenantId);
				out.println("job " + job.jobId() + ": deleting tenant " + tenantId + " (keys revoked)");
				out.flush();
				if (job.running()) {
					operations.deletion.run(job);
				}
				LifecycleJob done = operations.deletion.job(job.jobId());
				out.println("job " + done.jobId() + ": " + done.state() + ", " + done.rowsDeleted() + " rows deleted");
			});
		}

		static final class Period {

			@Option(names = "--days", paramLabel = "N", description = "Keep sessions updated in the last N days.")
			Integer days;

			@Option(names = "--keep-forever", description = "Keep everything (the default).")
			boolean keepForever;

		}

		@Command(name = "retention",
				description = "Show a tenant's retention period, or set it with --days N or --keep-forever.",
				footer = FOOTER, mixinStandardHelpOptions = true)
		int retention(@Option(names = "--tenant", required = true, paramLabel = "UUID") UUID tenantId,
				@ArgGroup(exclusive = true, multiplicity = "0..1") Period period, @Mixin DatabaseSettings settings) {
			return run(settings, (operations, out) -> {
				RetentionRepository.Retention retention = (period == null) ? operations.retention.get(tenantId)
						: operations.retention.set(AuditActor.cli(), tenantId, period.keepForever ? null : period.days);
				out.println("tenant " + tenantId + ": "
						+ ((retention.days() != null) ? "keep " + retention.days() + " days" : "keep forever")
						+ ", data since " + ((retention.dataSince() != null) ? retention.dataSince() : "the start"));
			});
		}

		@Command(name = "purge", description = "Run the retention purge now, for every tenant with a period.",
				footer = FOOTER, mixinStandardHelpOptions = true)
		int purge(@Mixin DatabaseSettings settings) {
			return run(settings, (operations, out) -> {
				for (RetentionPurge.Purged purged : operations.purge.purgeAll(AuditActor.cli(),
						operations.purge.batchSize())) {
					out.println("tenant " + purged.tenantId() + ": " + purged.sessions() + " sessions updated before "
							+ purged.cutoff() + " deleted with " + purged.events() + " events"
							+ (purged.interrupted() ? " (stopped: another instance is purging)" : ""));
				}
			});
		}

		@Command(name = "erase",
				description = "Replace a person's created_by/updated_by value by a pseudonym across a tenant's data.",
				footer = FOOTER, mixinStandardHelpOptions = true)
		int erase(@Option(names = "--tenant", required = true, paramLabel = "UUID") UUID tenantId,
				@Option(names = "--value", required = true,
						description = "The value to erase (case-insensitive).") String value,
				@Mixin DatabaseSettings settings) {
			return run(settings, (operations, out) -> {
				Erasure.Erased erased = operations.erasure.erase(AuditActor.cli(), tenantId, value);
				out.println("tenant " + tenantId + ": " + erased.recordsChanged() + " records now say "
						+ erased.pseudonym() + " " + erased.byTable());
			});
		}

	}

}
