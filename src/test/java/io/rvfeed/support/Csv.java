package io.rvfeed.support;

import java.util.ArrayList;
import java.util.List;

/** A strict RFC 4180 reader for tests: records of fields, CRLF line ends, "" escapes. */
public final class Csv {

	private final String text;

	private int at;

	private Csv(String text) {
		this.text = text;
	}

	public static List<List<String>> parse(String text) {
		Csv csv = new Csv(text);
		List<List<String>> records = new ArrayList<>();
		while (csv.at < text.length()) {
			records.add(csv.record());
		}
		return records;
	}

	private List<String> record() {
		List<String> fields = new ArrayList<>();
		while (true) {
			fields.add(field());
			if (this.text.startsWith("\r\n", this.at)) {
				this.at += 2;
				return fields;
			}
			if (this.at >= this.text.length()) {
				throw new IllegalStateException("record not ended by CRLF");
			}
			if (this.text.charAt(this.at) != ',') {
				throw new IllegalStateException("expected a comma at " + this.at);
			}
			this.at++;
		}
	}

	private String field() {
		StringBuilder value = new StringBuilder();
		if (this.at < this.text.length() && this.text.charAt(this.at) == '"') {
			this.at++;
			while (true) {
				char c = this.text.charAt(this.at++);
				if (c == '"') {
					if (this.at < this.text.length() && this.text.charAt(this.at) == '"') {
						value.append('"');
						this.at++;
					}
					else {
						return value.toString();
					}
				}
				else {
					value.append(c);
				}
			}
		}
		while (this.at < this.text.length() && this.text.charAt(this.at) != ','
				&& !this.text.startsWith("\r\n", this.at)) {
			char c = this.text.charAt(this.at++);
			if (c == '"' || c == '\n' || c == '\r') {
				throw new IllegalStateException("unquoted field holds " + (int) c);
			}
			value.append(c);
		}
		return value.toString();
	}

}
