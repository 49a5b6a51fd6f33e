package io.rvfeed.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A backup of the embedded database is a copy of its stopped data directory and its
 * password file in one zip file; restoring one puts them back. A copy of a stopped
 * cluster is complete and consistent, so it needs no PostgreSQL tools. While the backup
 * is taken the data directory is locked, so a service cannot start on it meanwhile.
 */
public final class EmbeddedDatabaseBackup {

	/** The lock file the embedded database holds while it runs. */
	static final String LOCK_FILE = "epg-lock";

	private static final String CLUSTER = "postgres/";

	private static final String PASSWORD = "postgres.password";

	/** What a running or crashed server leaves that a copy must not carry. */
	private static final Set<String> LEFT_OUT = Set.of(LOCK_FILE, "postmaster.pid", "postmaster.opts");

	private EmbeddedDatabaseBackup() {
	}

	/**
	 * Thrown when the data directory is in use, missing, or not where a restore can go.
	 */
	public static class Refused extends Exception {

		Refused(String message) {
			super(message);
		}

	}

	/**
	 * Writes the stopped database to {@code target} (a new file) and answers the number
	 * of files copied.
	 */
	public static long backup(EmbeddedDatabaseProperties properties, Path target) throws IOException, Refused {
		Path directory = properties.dataDirectory().toAbsolutePath().normalize();
		if (!Files.exists(directory.resolve("PG_VERSION"))) {
			throw new Refused("There is no embedded database in " + directory + ".");
		}
		if (Files.exists(target)) {
			throw new Refused(target + " exists already; name a new file.");
		}
		Path partial = target.resolveSibling(target.getFileName() + ".partial");
		long files = 0;
		try (FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock lock = tryLock(lockChannel)) {
			if (lock == null) {
				throw new Refused("The embedded database in " + directory
						+ " is in use by a running service: stop it first, then take the backup.");
			}
			refuseIfAServerRuns(directory);
			try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW);
					ZipOutputStream zip = new ZipOutputStream(out);
					Stream<Path> paths = Files.walk(directory)) {
				for (Path path : (Iterable<Path>) paths::iterator) {
					String relative = directory.relativize(path).toString().replace('\\', '/');
					if (Files.isDirectory(path)) {
						zip.putNextEntry(new ZipEntry(CLUSTER + (relative.isEmpty() ? "" : relative + "/")));
					}
					else if (!LEFT_OUT.contains(relative)) {
						zip.putNextEntry(new ZipEntry(CLUSTER + relative));
						Files.copy(path, zip);
						files++;
					}
					zip.closeEntry();
				}
				if (Files.exists(properties.passwordFile())) {
					zip.putNextEntry(new ZipEntry(PASSWORD));
					Files.copy(properties.passwordFile(), zip);
					zip.closeEntry();
					files++;
				}
			}
			Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(partial);
		}
		return files;
	}

	/**
	 * Puts a backup back into an empty or absent data directory, readable by its owner
	 * only, and answers the number of files restored.
	 */
	public static long restore(EmbeddedDatabaseProperties properties, Path source) throws IOException, Refused {
		Path directory = properties.dataDirectory().toAbsolutePath().normalize();
		if (!Files.isRegularFile(source)) {
			throw new Refused("There is no backup file " + source + ".");
		}
		if (Files.isDirectory(directory) && !isEmpty(directory)) {
			throw new Refused(directory + " is not empty: restore into a new data directory"
					+ " (--rvfeed.embedded-db.data-directory), or move this one away first.");
		}
		if (Files.exists(properties.passwordFile())) {
			throw new Refused(properties.passwordFile() + " exists already: move it away first.");
		}
		Files.createDirectories(directory);
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
		long files = 0;
		boolean sawCluster = false;
		try (InputStream in = Files.newInputStream(source); ZipInputStream zip = new ZipInputStream(in)) {
			for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
				String name = entry.getName();
				Path path;
				if (name.equals(PASSWORD)) {
					path = properties.passwordFile();
				}
				else if (name.startsWith(CLUSTER)) {
					sawCluster = true;
					path = directory.resolve(name.substring(CLUSTER.length())).normalize();
					if (!path.startsWith(directory)) {
						throw new Refused(source + " is not an rv-feed backup: it names " + name + ".");
					}
				}
				else {
					throw new Refused(source + " is not an rv-feed backup: it holds " + name + ".");
				}
				if (entry.isDirectory()) {
					Files.createDirectories(path);
					Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
				}
				else {
					Files.createDirectories(path.getParent());
					Files.copy(zip, path);
					Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
					files++;
				}
			}
		}
		if (!sawCluster || !Files.exists(directory.resolve("PG_VERSION"))) {
			throw new Refused(source + " is not an rv-feed backup: it holds no database.");
		}
		return files;
	}

	private static FileLock tryLock(FileChannel channel) throws IOException {
		try {
			return channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			// held by this JVM: the database runs in this process
			return null;
		}
	}

	/** A server whose JVM went away without stopping it still holds the directory. */
	private static void refuseIfAServerRuns(Path directory) throws IOException, Refused {
		Path pidFile = directory.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
		try {
			long pid = Long.parseLong(lines.get(0).strip());
			if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
				throw new Refused(
						"A PostgreSQL server (process " + pid + ") still runs on " + directory + ": stop it first.");
			}
		}
		catch (NumberFormatException | IndexOutOfBoundsException ex) {
			// not a pid file a server wrote: nothing runs
		}
	}

	private static boolean isEmpty(Path directory) throws IOException {
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.findAny().isEmpty();
		}
	}

}
