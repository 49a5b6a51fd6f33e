package io.rvfeed.db;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backup} and {@code restore} of the embedded database (see
 * {@link EmbeddedDatabaseBackup}).
 */
public final class EmbeddedDatabaseCommands {

	static final String FOOTER = "%nThe embedded database is the one under ./data/postgres, or under "
			+ "--rvfeed.embedded-db.data-directory=... . A PostgreSQL server is backed up with its own tools (pg_dump).";

	private EmbeddedDatabaseCommands() {
	}

	@Command(name = "backup",
			description = "Copy the stopped embedded database (and its password) into one zip file. "
					+ "Stop the service first; start it again when this is done.",
			footer = FOOTER, mixinStandardHelpOptions = true)
	public static final class Backup implements java.util.concurrent.Callable<Integer> {

		@Option(names = "--to", required = true, paramLabel = "FILE",
				description = "A new file, e.g. rv-feed-backup.zip.")
		Path target;

		@Mixin
		DatabaseSettings settings;

		@Spec
		CommandSpec spec;

		@Override
		public Integer call() throws IOException {
			EmbeddedDatabaseProperties properties = this.settings.embeddedDatabase();
			PrintWriter out = this.spec.commandLine().getOut();
			PrintWriter err = this.spec.commandLine().getErr();
			if (this.settings.namesADatabaseServer()) {
				err.println(
						"Note: SPRING_DATASOURCE_URL names a PostgreSQL server; this backs up the embedded database in "
								+ properties.dataDirectory() + ", not that server (use pg_dump for it).");
			}
			try {
				long files = EmbeddedDatabaseBackup.backup(properties, this.target);
				out.printf("Backed up the embedded database in %s (%d files, %,d bytes) to %s%n",
						properties.dataDirectory().toAbsolutePath().normalize(), files, Files.size(this.target),
						this.target.toAbsolutePath());
				out.flush();
				return 0;
			}
			catch (EmbeddedDatabaseBackup.Refused refused) {
				err.println(refused.getMessage());
				return 1;
			}
		}

	}

	@Command(name = "restore",
			description = "Put a backup taken with 'backup' back into an empty (or new) data directory.",
			footer = FOOTER, mixinStandardHelpOptions = true)
	public static final class Restore implements java.util.concurrent.Callable<Integer> {

		@Option(names = "--from", required = true, paramLabel = "FILE", description = "The backup file.")
		Path source;

		@Mixin
		DatabaseSettings settings;

		@Spec
		CommandSpec spec;

		@Override
		public Integer call() throws IOException {
			EmbeddedDatabaseProperties properties = this.settings.embeddedDatabase();
			try {
				long files = EmbeddedDatabaseBackup.restore(properties, this.source);
				PrintWriter out = this.spec.commandLine().getOut();
				out.printf("Restored %d files from %s into %s; start the service to use it.%n", files, this.source,
						properties.dataDirectory().toAbsolutePath().normalize());
				out.flush();
				return 0;
			}
			catch (EmbeddedDatabaseBackup.Refused refused) {
				this.spec.commandLine().getErr().println(refused.getMessage());
				return 1;
			}
		}

	}

}
