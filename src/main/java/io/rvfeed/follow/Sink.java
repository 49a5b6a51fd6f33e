package io.rvfeed.follow;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where records go, one per line. To stdout, a page is flushed before its cursor is
 * saved: nothing is lost, and a run killed between the two writes that page again on
 * restart (every record carries its event_id to tell). To a file, each page is also
 * synced, and a restart first drops a torn last line and resumes after the file's last
 * complete record, so the file gets every record exactly once.
 */
abstract class Sink implements AutoCloseable {

	private static final Pattern CEF_CURSOR = Pattern.compile("(?:^| )cs4=([A-Za-z0-9_-]+)(?: |$)");

	private static final Pattern JSON_CURSOR = Pattern.compile("\"cursor\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"");

	abstract void write(String line) throws IOException;

	/** Makes every line written so far reach the output (a file: its disk). */
	abstract void flush() throws IOException;

	/** The cursor of the last complete record already in the output, if it can tell. */
	abstract Optional<String> lastCursor() throws IOException;

	@Override
	public abstract void close() throws IOException;

	static Sink stream(PrintStream out) {
		Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
		return new Sink() {

			@Override
			void write(String line) throws IOException {
				writer.write(line);
				writer.write('\n');
			}

			@Override
			void flush() throws IOException {
				writer.flush();
				out.flush();
			}

			@Override
			Optional<String> lastCursor() {
				return Optional.empty();
			}

			@Override
			public void close() throws IOException {
				writer.flush();
			}

		};
	}

	static Sink file(Path path) throws IOException {
		String last = repair(path);
		FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND);
		StateFile.syncDirectory(path.toAbsolutePath().getParent());
		Writer writer = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), 1 << 16);
		return new Sink() {

			@Override
			void write(String line) throws IOException {
				writer.write(line);
				writer.write('\n');
			}

			@Override
			void flush() throws IOException {
				writer.flush();
				channel.force(false);
			}

			@Override
			Optional<String> lastCursor() {
				return Optional.ofNullable(last).map(Sink::cursorOf).flatMap((cursor) -> cursor);
			}

			@Override
			public void close() throws IOException {
				writer.flush();
				channel.close();
			}

		};
	}

	/**
	 * Cuts a torn last line (a run killed mid-write) off the file and answers its last
	 * complete line, or null.
	 */
	private static String repair(Path path) throws IOException {
		if (!Files.exists(path)) {
			return null;
		}
		try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
			long end = file.length();
			long complete = end;
			// the end of the last complete line: just after its '\n'
			while (complete > 0) {
				file.seek(complete - 1);
				if (file.read() == '\n') {
					break;
				}
				complete--;
			}
			if (complete < end) {
				file.setLength(complete);
				file.getChannel().force(true);
			}
			if (complete == 0) {
				return null;
			}
			long start = complete - 1;
			while (start > 0) {
				file.seek(start - 1);
				if (file.read() == '\n') {
					break;
				}
				start--;
			}
			byte[] line = new byte[(int) (complete - 1 - start)];
			file.seek(start);
			file.readFully(line);
			return new String(line, StandardCharsets.UTF_8);
		}
	}

	private static Optional<String> cursorOf(String line) {
		Matcher matcher = line.startsWith("CEF:") ? CEF_CURSOR.matcher(line) : JSON_CURSOR.matcher(line);
		return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
	}

}
