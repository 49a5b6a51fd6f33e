package io.rvfeed.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which top-level package of {@code io.rvfeed} may use which, checked over the sources:
 * every {@code import} of another package and every reference qualified with one
 * ({@code io.rvfeed.x.Y} in code; comments and string literals do not count). A
 * sub-package belongs to its top-level package; {@link #ROOT} is {@code io.rvfeed}
 * itself.
 */
final class PackageRule {

	static final String ROOT = "(root)";

	private static final Pattern REFERENCE = Pattern.compile("\\bio\\.rvfeed\\.(\\w+)");

	private static final Pattern PACKAGE = Pattern.compile("^package\\s+io\\.rvfeed(?:\\.(\\w+))?", Pattern.MULTILINE);

	private final Map<String, Set<String>> mayUse;

	/**
	 * @param mayUse each package and the packages it may use; a package with no entry may
	 * use none and is reported
	 */
	PackageRule(Map<String, Set<String>> mayUse) {
		this.mayUse = Collections.unmodifiableMap(new LinkedHashMap<>(mayUse));
	}

	/** A use of one package by another, at a line of a source file. */
	record Use(String file, int line, String from, String to) {

		@Override
		public String toString() {
			return this.file + ":" + this.line + ": " + this.from + " uses " + this.to;
		}

	}

	/** The violations in every {@code .java} file below the directory. */
	List<String> check(Path sources) {
		List<String> violations = new ArrayList<>();
		try (Stream<Path> files = Files.walk(sources)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				violations.addAll(check(sources.relativize(file).toString(), Files.readString(file)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return violations;
	}

	/** The violations in one source file. */
	List<String> check(String file, String source) {
		List<String> violations = new ArrayList<>();
		for (Use use : uses(file, source)) {
			Set<String> allowed = this.mayUse.get(use.from());
			if (allowed == null) {
				violations.add(use + ", but package " + use.from() + " has no row in the table of allowed uses");
			}
			else if (!allowed.contains(use.to())) {
				violations.add(use + ", which its row does not allow (it may use " + allowed + ")");
			}
		}
		return violations;
	}

	/** Every use of another package in one source file, in order. */
	static List<Use> uses(String file, String source) {
		String code = codeOnly(source);
		String from = declaredPackage(code);
		if (from == null) {
			return List.of();
		}
		List<Use> uses = new ArrayList<>();
		Matcher reference = REFERENCE.matcher(code);
		while (reference.find()) {
			String to = packageOf(reference.group(1));
			if (!to.equals(from)) {
				uses.add(new Use(file, lineOf(code, reference.start()), from, to));
			}
		}
		return uses;
	}

	/**
	 * The packages in an order where each comes after every package it may use, or the
	 * packages of a cycle when there is none.
	 */
	static List<String> layers(Map<String, Set<String>> mayUse) {
		List<String> order = new ArrayList<>();
		Set<String> placed = new LinkedHashSet<>();
		Set<String> left = new LinkedHashSet<>(mayUse.keySet());
		while (!left.isEmpty()) {
			List<String> ready = left.stream().filter((name) -> placed.containsAll(mayUse.get(name))).toList();
			if (ready.isEmpty()) {
				throw new IllegalStateException(
						"The table of allowed uses has a cycle (or names a package without a " + "row) among " + left);
			}
			order.addAll(ready);
			placed.addAll(ready);
			ready.forEach(left::remove);
		}
		return order;
	}

	/** The top-level package the source declares, or null outside {@code io.rvfeed}. */
	static String declaredPackage(String source) {
		Matcher declared = PACKAGE.matcher(codeOnly(source));
		return declared.find() ? packageOf(declared.group(1)) : null;
	}

	/** {@code feed} for {@code io.rvfeed.feed}, {@link #ROOT} for a type of the root. */
	private static String packageOf(String segment) {
		return (segment == null || Character.isUpperCase(segment.charAt(0))) ? ROOT : segment;
	}

	private static int lineOf(String text, int offset) {
		int line = 1;
		for (int i = 0; i < offset; i++) {
			line += (text.charAt(i) == '\n') ? 1 : 0;
		}
		return line;
	}

	/**
	 * The source with comments and the contents of string, text-block and character
	 * literals blanked out (line breaks kept, so line numbers stay).
	 */
	static String codeOnly(String source) {
		StringBuilder code = new StringBuilder(source.length());
		int i = 0;
		int n = source.length();
		while (i < n) {
			char c = source.charAt(i);
			if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
				while (i < n && source.charAt(i) != '\n') {
					code.append(' ');
					i++;
				}
			}
			else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
				int end = source.indexOf("*/", i + 2);
				end = (end < 0) ? n : end + 2;
				blank(source, i, end, code);
				i = end;
			}
			else if (source.startsWith("\"\"\"", i)) {
				int end = source.indexOf("\"\"\"", i + 3);
				while (end > 0 && source.charAt(end - 1) == '\\') {
					end = source.indexOf("\"\"\"", end + 1);
				}
				end = (end < 0) ? n : end + 3;
				blank(source, i, end, code);
				i = end;
			}
			else if (c == '"' || c == '\'') {
				int end = i + 1;
				while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
					end += (source.charAt(end) == '\\') ? 2 : 1;
				}
				end = Math.min(n, end + 1);
				blank(source, i, end, code);
				i = end;
			}
			else {
				code.append(c);
				i++;
			}
		}
		return code.toString();
	}

	private static void blank(String source, int from, int to, StringBuilder code) {
		for (int i = from; i < to; i++) {
			code.append((source.charAt(i) == '\n') ? '\n' : ' ');
		}
	}

}
