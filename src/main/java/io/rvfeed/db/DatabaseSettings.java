package io.rvfeed.db;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import picocli.CommandLine.Command;

/**
 * The configuration arguments a command passes on to the service's settings
 * ({@code --spring.*}, {@code --rvfeed.*}, {@code --logging.*}, as {@code --name=value},
 * anywhere on the command line), and the database they configure: the server named by
 * {@code SPRING_DATASOURCE_URL}, or the embedded one. A command opens only the database,
 * migrated, and the components it names: no web server, no background work. (This class
 * touches no Spring type itself, so that a command's help loads none.)
 */
@Command
public class DatabaseSettings {

	private static final List<String> PREFIXES = List.of("--spring.", "--rvfeed.", "--logging.");

	private final List<String> arguments;

	public DatabaseSettings() {
		this(List.of());
	}

	public DatabaseSettings(List<String> arguments) {
		this.arguments = List.copyOf(arguments);
	}

	/** Whether a command-line argument is a setting rather than the command's own. */
	public static boolean isSetting(String argument) {
		return PREFIXES.stream().anyMatch(argument::startsWith);
	}

	public List<String> arguments() {
		return this.arguments;
	}

	/**
	 * Opens the database (migrating it) with the given components, hands {@code work} the
	 * bean of type {@code bean}, and closes it all again.
	 * @throws Unavailable if the database cannot be opened, told in one line
	 */
	public <T, R> R with(Class<T> bean, Function<T, R> work, Class<?>... components) {
		return with(bean, work, Arrays.asList(components));
	}

	/**
	 * Opens the database (migrating it) with the given components, hands {@code work} the
	 * bean of type {@code bean}, and closes it all again.
	 * @throws Unavailable if the database cannot be opened, told in one line
	 */
	public <T, R> R with(Class<T> bean, Function<T, R> work, List<Class<?>> components) {
		List<Class<?>> sources = new ArrayList<>(components);
		return DatabaseContext.with(this.arguments, sources, bean, work);
	}

	/** The embedded database's settings as the service would read them. */
	public EmbeddedDatabaseProperties embeddedDatabase() {
		return DatabaseContext.embeddedDatabase(this.arguments);
	}

	/** Whether the settings name a PostgreSQL server instead of the embedded database. */
	public boolean namesADatabaseServer() {
		return DatabaseContext.namesADatabaseServer(this.arguments);
	}

	/** The database could not be opened; the message says why. */
	public static class Unavailable extends RuntimeException {

		Unavailable(String message) {
			super(message);
		}

	}

}
