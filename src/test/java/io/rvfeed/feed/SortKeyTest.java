package io.rvfeed.feed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.SortField;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feed's {@code ORDER BY} as SortKey makes it, and the indexes of V1 and V5 that must
 * match it for a page to be the first rows of an index scan.
 */
class SortKeyTest {

	private static final DSLContext SQL = DSL.using(SQLDialect.POSTGRES, new Settings().withRenderFormatted(false));

	private static String orderBy(OrderTerm... terms) {
		String sql = SQL.render(DSL.select(DSL.one()).orderBy(SortKey.orderBy(List.of(terms))));
		return sql.substring(sql.indexOf("order by ") + "order by ".length());
	}

	private static OrderTerm asc(SortKey key) {
		return new OrderTerm(key, false);
	}

	private static OrderTerm desc(SortKey key) {
		return new OrderTerm(key, true);
	}

	@Test
	void theDefaultIsNewestFirstThenTheSessionId() {
		assertThat(orderBy(OrderTerm.DEFAULT)).isEqualTo("\"created_at\" desc, \"session_id\" asc");
	}

	@Test
	void createdAtIsNotRepeatedAsTieBreakerWhenRequested() {
		assertThat(orderBy(asc(SortKey.CREATED_AT))).isEqualTo("\"created_at\" asc, \"session_id\" asc");
		assertThat(orderBy(asc(SortKey.STATE), asc(SortKey.CREATED_AT)))
			.isEqualTo("((\"state\") collate \"C\") asc, \"created_at\" asc, \"session_id\" asc");
	}

	@Test
	void textKeysSortCaseFoldedThenExactInCodePointOrder() {
		assertThat(orderBy(asc(SortKey.DEVICE_NAME))).isEqualTo("((\"device_name_lc\") collate \"C\") asc, "
				+ "((\"device_name\") collate \"C\") asc, \"created_at\" desc, \"session_id\" asc");
	}

	@Test
	void nullableKeysPutNullsLastInBothDirections() {
		assertThat(orderBy(asc(SortKey.DURATION)))
			.isEqualTo("\"duration_us\" asc nulls last, \"created_at\" desc, \"session_id\" asc");
		assertThat(orderBy(desc(SortKey.DURATION)))
			.isEqualTo("\"duration_us\" desc nulls last, \"created_at\" desc, \"session_id\" asc");
		assertThat(orderBy(desc(SortKey.REASON))).isEqualTo("((\"reason_lc\") collate \"C\") desc nulls last, "
				+ "((\"reason\") collate \"C\") desc nulls last, \"created_at\" desc, \"session_id\" asc");
	}

	@Test
	void onlyDurationReasonAndCreatedByAreNullable() {
		assertThat(List.of(SortKey.values()).stream().filter(SortKey::nullsLast)).containsExactly(SortKey.DURATION,
				SortKey.REASON, SortKey.CREATED_BY);
	}

	@Test
	void severalKeysKeepTheirOrderAndDirections() {
		assertThat(orderBy(desc(SortKey.STATE), asc(SortKey.VIDEO_QUALITY), desc(SortKey.UPDATED_AT))).isEqualTo(
				"((\"state\") collate \"C\") desc, ((\"video_quality\") collate \"C\") asc, \"updated_at\" desc, "
						+ "\"created_at\" desc, \"session_id\" asc");
	}

	@Test
	void parameterNamesAreTheLowerCaseKeys() {
		assertThat(SortKey.fromParameter("video_quality")).contains(SortKey.VIDEO_QUALITY);
		assertThat(SortKey.fromParameter("VIDEO_QUALITY")).isEmpty();
		assertThat(SortKey.allowed())
			.isEqualTo("created_at, updated_at, device_name, duration, state, reason, video_quality, created_by");
	}

	/**
	 * Each key in each direction has an index of V1/V5 with its columns, collations and
	 * NULLS LAST, then the tie-breakers; a key whose columns cannot be NULL may instead
	 * read the other direction's index backwards.
	 */
	@ParameterizedTest
	@EnumSource(SortKey.class)
	void everyKeyAndDirectionHasItsIndex(SortKey key) throws IOException {
		List<String> indexes = indexesOnSessions();
		for (boolean descending : new boolean[] { false, true }) {
			String columns = keyColumns(key, descending);
			boolean exact = indexes.contains(columns);
			boolean backwards = !key.nullsLast() && indexes.contains(keyColumns(key, !descending));
			assertThat(exact || backwards)
				.as("%s %s: no index (tenant_id, %s, created_at desc, session_id) in %s", key,
						descending ? "descending" : "ascending", columns, indexes)
				.isTrue();
		}
	}

	/** The key's columns as an index lists them, normalized. */
	private static String keyColumns(SortKey key, boolean descending) {
		List<String> columns = new ArrayList<>();
		for (Field<?> column : key.columns()) {
			SortField<?> field = descending ? column.desc() : column.asc();
			// jOOQ parenthesizes a collated column: ((\"state\") collate \"C\")
			columns.add(normalize(SQL.render(key.nullsLast() ? field.nullsLast() : field)).replaceAll("[()]", ""));
		}
		return String.join(", ", columns);
	}

	private static final Pattern INDEX = Pattern.compile("create index (\\w+) on rv_session \\((.*?)\\);");

	/**
	 * The column lists of the btree indexes on rv_session led by tenant_id, without it
	 * and without the tie-breakers they end with.
	 */
	private static List<String> indexesOnSessions() throws IOException {
		List<String> indexes = new ArrayList<>();
		for (String migration : List.of("V1__tenants_keys_sessions.sql", "V5__feed_order_indexes.sql")) {
			String sql = normalize(read("db/migration/" + migration).replaceAll("--[^\\n]*", ""));
			Matcher m = INDEX.matcher(sql);
			while (m.find()) {
				String columns = m.group(2);
				if (columns.startsWith("tenant_id, ") && columns.endsWith(", session_id")) {
					String key = columns.substring("tenant_id, ".length(), columns.length() - ", session_id".length());
					indexes.add(key.equals("created_at desc") ? key : key.replaceAll(", created_at desc$", ""));
				}
			}
		}
		return indexes;
	}

	/** Lower case, single spaces, no quotes, no default {@code asc}. */
	private static String normalize(String sql) {
		return sql.toLowerCase(Locale.ROOT)
			.replace("\"", "")
			.replaceAll("\\s+", " ")
			.replace("( ", "(")
			.replace(" )", ")")
			.replace(" asc", "");
	}

	private static String read(String resource) throws IOException {
		try (InputStream in = SortKeyTest.class.getClassLoader().getResourceAsStream(resource)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
