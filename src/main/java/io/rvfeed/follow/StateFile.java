package io.rvfeed.follow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The cursor kept between runs: replaced whole (written to a temporary file beside it,
 * synced, renamed over it, the directory synced), so after a crash it holds either the
 * old cursor or the new one, never a torn one.
 */
final class StateFile {

	private final Path path;

	StateFile(Path path) {
		this.path = path.toAbsolutePath();
	}

	Optional<String> read() throws IOException {
		try {
			String cursor = Files.readString(this.path).strip();
			return cursor.isEmpty() ? Optional.empty() : Optional.of(cursor);
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	void write(String cursor) throws IOException {
		Path directory = this.path.getParent();
		Path temporary = directory.resolve(this.path.getFileName() + ".tmp");
		try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			channel.write(ByteBuffer.wrap((cursor + "\n").getBytes(StandardCharsets.UTF_8)));
			channel.force(true);
		}
		try {
			Files.move(temporary, this.path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temporary, this.path, StandardCopyOption.REPLACE_EXISTING);
		}
		syncDirectory(directory);
	}

	/**
	 * Makes the rename durable; where a directory cannot be opened, there is nothing to
	 * do.
	 */
	static void syncDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// not every platform lets a directory be opened (Windows); the rename stands
		}
	}

}
