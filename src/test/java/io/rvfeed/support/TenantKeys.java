package io.rvfeed.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the database catalogue and names every way a schema's tables are not ready to be
 * distributed by {@code tenant_id} (Citus): a table without a {@code tenant_id}, a
 * primary key that does not start with it, a unique key or unique index without it, a
 * foreign key that does not carry it over to the referenced table's {@code tenant_id}.
 * <p>
 * Shared by {@code TenantKeysIT} (over the service's own schema) and by the
 * {@link TenantConditionCheck} (which learns from it which tables hold tenant data).
 */
public final class TenantKeys {

	/** The tables that hold no tenant's data, or are reference tables by design. */
	public static final String TENANT_LIST = "tenant";

	private TenantKeys() {
	}

	/** A table of the schema and what the catalogue says about its keys. */
	public record Table(String name, boolean hasTenantId, List<String> primaryKey, List<Key> uniqueKeys,
			List<ForeignKey> foreignKeys) {
	}

	/** A unique constraint or unique index, by name, with its columns. */
	public record Key(String name, List<String> columns) {
	}

	/** A foreign key and, position by position, the referenced columns. */
	public record ForeignKey(String name, List<String> columns, String referencedTable,
			List<String> referencedColumns) {
	}

	/** Every ordinary or partitioned table of the schema, Flyway's history left out. */
	public static Map<String, Table> read(Connection connection, String schema) throws SQLException {
		Map<String, Table> tables = new LinkedHashMap<>();
		try (PreparedStatement statement = connection.prepareStatement(
				"""
						select c.oid, c.relname,
						       exists (select 1 from pg_attribute a
						               where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as has_tenant
						from pg_class c join pg_namespace n on n.oid = c.relnamespace
						where n.nspname = ? and c.relkind in ('r', 'p') and not c.relispartition
						  and c.relname <> 'flyway_schema_history'
						order by c.relname""")) {
			statement.setString(1, schema);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					long oid = rows.getLong(1);
					String name = rows.getString(2);
					tables.put(name, new Table(name, rows.getBoolean(3), primaryKey(connection, oid),
							uniqueKeys(connection, oid), foreignKeys(connection, oid)));
				}
			}
		}
		return tables;
	}

	/**
	 * What is wrong with the tables for distribution by tenant, one line each; the tenant
	 * list itself and the named exceptions (table, or {@code table.key}) are left out.
	 */
	public static List<String> problems(Map<String, Table> tables, Map<String, String> exceptions) {
		List<String> problems = new ArrayList<>();
		for (Table table : tables.values()) {
			String name = table.name();
			if (name.equals(TENANT_LIST) || exceptions.containsKey(name)) {
				continue;
			}
			if (!table.hasTenantId()) {
				problems.add(name + " has no tenant_id column");
				continue;
			}
			if (!exceptions.containsKey(name + ".primary key")) {
				if (table.primaryKey().isEmpty()) {
					problems.add(name + " has no primary key");
				}
				else if (!table.primaryKey().get(0).equals("tenant_id")) {
					problems.add(name + "'s primary key " + table.primaryKey() + " does not start with tenant_id");
				}
			}
			for (Key key : table.uniqueKeys()) {
				if (!key.columns().contains("tenant_id") && !exceptions.containsKey(name + "." + key.name())) {
					problems.add(name + "'s unique key " + key.name() + " " + key.columns() + " lacks tenant_id");
				}
			}
			for (ForeignKey key : table.foreignKeys()) {
				int at = key.columns().indexOf("tenant_id");
				if (at < 0 || !"tenant_id".equals(key.referencedColumns().get(at))) {
					if (!exceptions.containsKey(name + "." + key.name())) {
						problems.add(name + "'s foreign key " + key.name() + " " + key.columns() + " -> "
								+ key.referencedTable() + " " + key.referencedColumns()
								+ " does not carry tenant_id to tenant_id");
					}
				}
			}
		}
		return problems;
	}

	/** The tables that hold tenant data: every table with a {@code tenant_id}. */
	public static TreeSet<String> tenantTables(Map<String, Table> tables) {
		TreeSet<String> names = new TreeSet<>();
		tables.values()
			.stream()
			.filter(Table::hasTenantId)
			.filter((table) -> !table.name().equals(TENANT_LIST))
			.forEach((table) -> names.add(table.name()));
		return names;
	}

	private static List<String> primaryKey(Connection connection, long table) throws SQLException {
		List<List<String>> keys = constraintColumns(connection, table, "p");
		return keys.isEmpty() ? List.of() : keys.get(0);
	}

	private static List<Key> uniqueKeys(Connection connection, long table) throws SQLException {
		List<Key> keys = new ArrayList<>();
		// unique constraints and unique indexes alike (a constraint has its index); the
		// primary key's index is the primary key's
		try (PreparedStatement statement = connection.prepareStatement("""
				select i.relname,
				       array(select a.attname from unnest(x.indkey) with ordinality k (attnum, ord)
				             left join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum
				             order by k.ord)::text[]
				from pg_index x join pg_class i on i.oid = x.indexrelid
				where x.indrelid = ? and x.indisunique and not x.indisprimary
				order by i.relname""")) {
			statement.setLong(1, table);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					List<String> columns = new ArrayList<>();
					for (String column : (String[]) rows.getArray(2).getArray()) {
						// an expression has no column name
						columns.add(column == null ? "(expression)" : column);
					}
					keys.add(new Key(rows.getString(1), columns));
				}
			}
		}
		return keys;
	}

	private static List<ForeignKey> foreignKeys(Connection connection, long table) throws SQLException {
		List<ForeignKey> keys = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement("""
				select c.conname, r.relname,
				       array(select a.attname from unnest(c.conkey) with ordinality k (attnum, ord)
				             join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
				             order by k.ord)::text[],
				       array(select a.attname from unnest(c.confkey) with ordinality k (attnum, ord)
				             join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum
				             order by k.ord)::text[]
				from pg_constraint c join pg_class r on r.oid = c.confrelid
				where c.conrelid = ? and c.contype = 'f'
				order by c.conname""")) {
			statement.setLong(1, table);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					keys.add(new ForeignKey(rows.getString(1), List.of((String[]) rows.getArray(3).getArray()),
							rows.getString(2), List.of((String[]) rows.getArray(4).getArray())));
				}
			}
		}
		return keys;
	}

	private static List<List<String>> constraintColumns(Connection connection, long table, String type)
			throws SQLException {
		List<List<String>> keys = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement("""
				select array(select a.attname from unnest(c.conkey) with ordinality k (attnum, ord)
				             join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
				             order by k.ord)::text[]
				from pg_constraint c where c.conrelid = ? and c.contype = ?::"char" order by c.conname""")) {
			statement.setLong(1, table);
			statement.setString(2, type);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					keys.add(List.of((String[]) rows.getArray(1).getArray()));
				}
			}
		}
		return keys;
	}

}
