package io.rvfeed.lifecycle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jooq.DSLContext;
import org.jooq.Record;

import org.springframework.stereotype.Component;

/**
 * The tables that hold tenants' rows, read from the catalogue on every use, so that a
 * table added by a later migration is covered without a change here: every base table of
 * the service's schema with a {@code tenant_id} column. Tables that must outlive a tenant
 * (the audit log, lifecycle jobs) name their tenant column otherwise.
 */
@Component
class TenantTables {

	static final String TENANT_COLUMN = "tenant_id";

	private final DSLContext db;

	TenantTables(DSLContext db) {
		this.db = db;
	}

	/**
	 * Every table with a {@code tenant_id} column, a table that references another (by a
	 * foreign key) before the table it references, so that deleting in this order never
	 * trips a foreign key.
	 */
	List<String> childrenFirst() {
		Set<String> tables = new TreeSet<>(this.db.fetch("""
				select c.table_name
				from information_schema.columns c
				join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
				where c.table_schema = current_schema() and c.column_name = ? and t.table_type = 'BASE TABLE'
				""", TENANT_COLUMN).getValues(0, String.class));
		Map<String, Set<String>> referencedBy = new HashMap<>();
		for (Record reference : this.db.fetch("""
				select child.relname::text as child, parent.relname::text as parent
				from pg_constraint k
				join pg_class child on child.oid = k.conrelid
				join pg_class parent on parent.oid = k.confrelid
				where k.contype = 'f' and k.connamespace = current_schema()::regnamespace
				  and child.oid <> parent.oid
				""")) {
			String child = reference.get("child", String.class);
			String parent = reference.get("parent", String.class);
			if (tables.contains(child) && tables.contains(parent)) {
				referencedBy.computeIfAbsent(parent, (key) -> new HashSet<>()).add(child);
			}
		}
		List<String> ordered = new ArrayList<>();
		Set<String> placed = new LinkedHashSet<>();
		for (String table : tables) {
			place(table, referencedBy, placed, new HashSet<>(), ordered);
		}
		return ordered;
	}

	/** Places every table that references {@code table} first, then the table. */
	private static void place(String table, Map<String, Set<String>> referencedBy, Set<String> placed,
			Set<String> visiting, List<String> ordered) {
		if (placed.contains(table) || !visiting.add(table)) {
			return;
		}
		for (String child : new TreeSet<>(referencedBy.getOrDefault(table, Set.of()))) {
			place(child, referencedBy, placed, visiting, ordered);
		}
		placed.add(table);
		ordered.add(table);
	}

	/**
	 * The tables other than {@code rv_session} and {@code rv_session_event} that name a
	 * session ({@code tenant_id} and {@code session_id} columns): what a purge deletes
	 * with the session (a webhook outbox, for one).
	 */
	List<String> sessionChildren() {
		return this.db.fetch("""
				select c.table_name::text
				from information_schema.columns c
				join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
				where c.table_schema = current_schema() and c.column_name = 'session_id' and t.table_type = 'BASE TABLE'
				  and c.table_name not in ('rv_session', 'rv_session_event')
				  and exists (select 1 from information_schema.columns k
				              where k.table_schema = c.table_schema and k.table_name = c.table_name
				                and k.column_name = ?)
				order by 1
				""", TENANT_COLUMN).getValues(0, String.class);
	}

	/**
	 * The text columns (text, varchar, char, json, jsonb; not generated) of every table
	 * with a {@code tenant_id} column, as table to columns.
	 */
	Map<String, List<TextColumn>> textColumns() {
		Map<String, List<TextColumn>> columns = new TreeMap<>();
		for (Record column : this.db.fetch(
				"""
						select c.table_name::text as table_name, c.column_name::text as column_name,
						       c.data_type::text as data_type
						from information_schema.columns c
						join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
						where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
						  and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
						  and c.is_generated = 'NEVER'
						  -- a column under a check constraint holds codes (states, qualities), not people
						  and not exists (select 1 from information_schema.constraint_column_usage u
						                  join information_schema.check_constraints k
						                    on k.constraint_schema = u.constraint_schema and k.constraint_name = u.constraint_name
						                  where u.table_schema = c.table_schema and u.table_name = c.table_name
						                    and u.column_name = c.column_name)
						  and exists (select 1 from information_schema.columns k
						              where k.table_schema = c.table_schema and k.table_name = c.table_name
						                and k.column_name = ?)
						order by c.table_name, c.ordinal_position
						""",
				TENANT_COLUMN)) {
			String type = column.get("data_type", String.class);
			columns.computeIfAbsent(column.get("table_name", String.class), (table) -> new ArrayList<>())
				.add(new TextColumn(column.get("column_name", String.class), type.startsWith("json")));
		}
		return columns;
	}

	/** A text column; {@code json} if its type is json or jsonb. */
	record TextColumn(String name, boolean json) {
	}

}
