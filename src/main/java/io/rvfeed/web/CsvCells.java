package io.rvfeed.web;

/**
 * CSV cells by RFC 4180, made safe to open in a spreadsheet: a value that starts with a
 * character a spreadsheet reads as a formula ({@code = + - @}, tab or carriage return)
 * gets a leading apostrophe, so it shows as text and never runs.
 */
public final class CsvCells {

	private CsvCells() {
	}

	public static String cell(Object value) {
		if (value == null) {
			return "";
		}
		String text = value.toString();
		if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
			text = "'" + text;
		}
		if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0
				|| text.startsWith("'")) {
			return "\"" + text.replace("\"", "\"\"") + "\"";
		}
		return text;
	}

	public static String row(Object... values) {
		StringBuilder line = new StringBuilder();
		for (int i = 0; i < values.length; i++) {
			if (i > 0) {
				line.append(',');
			}
			line.append(cell(values[i]));
		}
		return line.append("\r\n").toString();
	}

}
