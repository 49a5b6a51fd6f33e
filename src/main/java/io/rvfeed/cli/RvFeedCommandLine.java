package io.rvfeed.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.rvfeed.admin.AdminCommandLine;
import io.rvfeed.bench.BenchCommandLine;
import io.rvfeed.follow.FollowCommand;
import io.rvfeed.lifecycle.LifecycleCommandLine;
import io.rvfeed.db.DatabaseSettings;
import io.rvfeed.db.EmbeddedDatabaseCommands;

/**
 * The jar's command line. Without a command (only {@code --name=value} settings, or
 * nothing) it runs the service; a command starts only what it needs, and its help starts
 * nothing. Exit codes: 0 done, 1 refused or failed, 2 usage error.
 */
public final class RvFeedCommandLine {

	private static final Set<String> HELP = Set.of("--help", "--version");

	private RvFeedCommandLine() {
	}

	/** Whether these arguments run the service: none, or only settings. */
	public static boolean startsTheService(String[] args) {
		return Arrays.stream(args).allMatch((arg) -> arg.startsWith("--") && !HELP.contains(arg));
	}

	/**
	 * Runs a command (or prints help) and answers its exit code. Settings
	 * ({@code --spring.*=...} and the like) may stand anywhere; they go to the command's
	 * database.
	 */
	public static int execute(String... args) {
		List<String> settings = Arrays.stream(args).filter(DatabaseSettings::isSetting).toList();
		String[] command = Arrays.stream(args).filter((arg) -> !DatabaseSettings.isSetting(arg)).toArray(String[]::new);
		return commandLine(settings).execute(command);
	}

	static int execute(PrintWriter out, PrintWriter err, String... args) {
		CommandLine commandLine = commandLine(List.of());
		commandLine.setOut(out);
		commandLine.setErr(err);
		return commandLine.execute(args);
	}

	static CommandLine commandLine(List<String> settings) {
		IFactory factory = new IFactory() {
			@Override
			public <K> K create(Class<K> type) throws Exception {
				return (type == DatabaseSettings.class) ? type.cast(new DatabaseSettings(settings))
						: CommandLine.defaultFactory().create(type);
			}
		};
		CommandLine commandLine = new CommandLine(new RvFeed(), factory);
		commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
			if (ex instanceof DatabaseSettings.Unavailable) {
				cmd.getErr().println(ex.getMessage());
			}
			else {
				cmd.getErr().println(cmd.getCommandName() + " failed: " + ex);
			}
			return 1;
		});
		return commandLine;
	}

	@Command(name = "rv-feed", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
			description = { "A self-hostable remote-viewer activity feed.", "",
					"Without a command, runs the service: java -jar rv-feed.jar [--name=value ...], where each "
							+ "--name=value is a setting (e.g. --server.port=9090; see docs/operations.md)." },
			subcommands = { AdminCommandLine.Tenants.class, AdminCommandLine.Keys.class,
					LifecycleCommandLine.Data.class, EmbeddedDatabaseCommands.Backup.class,
					EmbeddedDatabaseCommands.Restore.class, BenchCommandLine.class, FollowCommand.class,
					HelpCommand.class },
			footer = { "", "Run 'rv-feed COMMAND --help' for a command's options." })
	static final class RvFeed implements Runnable {

		@Spec
		CommandSpec spec;

		@Override
		public void run() {
			throw new ParameterException(this.spec.commandLine(),
					"Name a command, or give only --name=value settings.");
		}

	}

	/** The version, git commit and build time the build recorded. */
	static final class BuildVersion implements IVersionProvider {

		@Override
		public String[] getVersion() throws IOException {
			Properties build = load("META-INF/build-info.properties");
			Properties git = load("git.properties");
			return new String[] { "rv-feed " + build.getProperty("build.version", "(version unknown)"),
					"commit " + git.getProperty("git.commit.id.abbrev", "unknown") + ", built "
							+ build.getProperty("build.time", "unknown") };
		}

		private static Properties load(String resource) throws IOException {
			Properties properties = new Properties();
			try (InputStream in = RvFeedCommandLine.class.getClassLoader().getResourceAsStream(resource)) {
				if (in != null) {
					properties.load(in);
				}
			}
			return properties;
		}

	}

}
