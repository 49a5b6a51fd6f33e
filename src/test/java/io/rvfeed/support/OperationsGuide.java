package io.rvfeed.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code docs/operations.md} documents under "Observability": the names in the first
 * column of a table, found by its header, so tests can hold the documentation and the
 * service to each other.
 */
public final class OperationsGuide {

	private static final Path GUIDE = Path.of("docs", "operations.md");

	private static final Pattern FIRST_CELL_NAME = Pattern.compile("^\\|\\s*`([^`]+)`");

	private OperationsGuide() {
	}

	/**
	 * The backticked names in the first column of the table whose header starts with
	 * {@code header} (e.g. "| request log field"), in order.
	 */
	public static Set<String> names(String header) {
		return column(header, 0);
	}

	/** The backticked names in the given column of the table. */
	public static Set<String> column(String header, int column) {
		List<String> lines;
		try {
			lines = Files.readAllLines(GUIDE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Set<String> names = new LinkedHashSet<>();
		boolean inTable = false;
		for (String line : lines) {
			if (line.startsWith(header)) {
				inTable = true;
				continue;
			}
			if (inTable) {
				if (!line.startsWith("|")) {
					break;
				}
				String[] cells = line.split("\\|");
				if (cells.length > column + 1) {
					Matcher name = FIRST_CELL_NAME.matcher("|" + cells[column + 1]);
					if (name.find()) {
						names.add(name.group(1));
					}
				}
			}
		}
		if (names.isEmpty()) {
			throw new IllegalStateException("No table '" + header + "' in " + GUIDE);
		}
		return names;
	}

	public static List<String> list(String header) {
		return new ArrayList<>(names(header));
	}

}
