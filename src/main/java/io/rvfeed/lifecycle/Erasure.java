package io.rvfeed.lifecycle;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.audit.AuditActor;
import io.rvfeed.audit.AuditEntry;
import io.rvfeed.audit.AuditLog;
import io.rvfeed.auth.ApiKeyHasher;
import io.rvfeed.auth.TenantRepository;
import io.rvfeed.web.InvalidRequest;

/**
 * The erasure of a person from a tenant's data: every occurrence of a value (a console
 * user's e-mail address or name, as {@code created_by}/{@code updated_by} hold it),
 * matched case-insensitively as the feed's {@code created_by} filter matches and as a
 * whole token (not inside a longer word or address), is replaced by a stable pseudonym
 * {@code erased-<16 hex digits>}, in every text column of every table with a
 * {@code tenant_id} column (found over the catalogue, so later tables are covered), in
 * one transaction. The lower-cased copies change with their columns, so the kept counts
 * and facet counts follow through their triggers. The pseudonym is a keyed hash (under
 * the server's key hash secret) of the tenant and the lower-cased value: the same person
 * erased twice gets the same pseudonym, and a copy of the database cannot reverse it.
 */
@Service
class Erasure {

	private static final Logger log = LoggerFactory.getLogger(Erasure.class);

	/**
	 * The kept counts (V4, V7, V43) and statistics cells (V50-V52): derived from
	 * {@code rv_session} by its triggers, which adjust them as the sessions' values
	 * change, so they are not rewritten here.
	 */
	static final java.util.Set<String> DERIVED = java.util.Set.of("rv_session_count", "rv_session_count_delta",
			"rv_session_facet_count", "rv_session_facet_delta", "rv_session_joint_count", "rv_session_joint_delta",
			"rv_stats_cell", "rv_stats_delta", "rv_stats_value_cell", "rv_stats_value_delta", "rv_stats_device_count",
			"rv_stats_device_delta");

	/**
	 * Kept counts whose cells hold text an erasure may replace: the facet counts (V7) and
	 * the joint counts (V43, the case-folded reason); the statistics by value (V51,
	 * reason and console user) are {@link #DROP_ZERO_VALUE_CELLS}. The device counts
	 * (V52) hold device names too: their deltas are folded in the erasure instead (the
	 * erased name's counts reach zero and go, and the group counts follow).
	 */
	private record TextCells(String counts, String deltas, String key, String text) {

		/**
		 * Drops the cells that the erasure left with no session (counts and deltas adding
		 * up to zero) and that hold the erased value, so that the value is gone from them
		 * too and no count changes; one statement, one snapshot, so a delta committed
		 * meanwhile is either in the sum or not deleted.
		 */
		String dropZeroSql() {
			return """
					with zero as (
					  select %3$s
					  from (select %3$s, n from %1$s where tenant_id = {0} and %4$s ~* {1}
					        union all
					        select %3$s, n from %2$s where tenant_id = {0} and %4$s ~* {1}) parts
					  group by %3$s
					  having sum(n) = 0),
					counts as (delete from %1$s c where c.tenant_id = {0} and (%3$s) in (select %3$s from zero)
					           returning 1),
					deltas as (delete from %2$s d where d.tenant_id = {0} and (%3$s) in (select %3$s from zero)
					           returning 1)
					select (select count(*) from counts) + (select count(*) from deltas)
					""".formatted(this.counts, this.deltas, this.key, this.text);
		}

	}

	private static final List<TextCells> TEXT_CELLS = List.of(
			new TextCells("rv_session_facet_count", "rv_session_facet_delta", "facet, bucket, value", "value"),
			new TextCells("rv_session_joint_count", "rv_session_joint_delta",
					"state, video_quality, reason_lc, created_day, updated_day, duration_bucket", "reason_lc"));

	/**
	 * As {@link TextCells#dropZeroSql()} for the statistics by value (V51): a delta row
	 * holds a reason and a console user (V54), so the value that reached zero is cleared
	 * from the row (null: the row no longer changes that cell) and the row goes once it
	 * holds neither.
	 */
	private static final String DROP_ZERO_VALUE_CELLS = """
			with parts as (
			  select kind::text as kind, value, state, video_quality, n
			  from rv_stats_value_cell where tenant_id = {0} and value ~* {1}
			  union all
			  select 'r', reason_value, state, video_quality, n
			  from rv_stats_value_delta where tenant_id = {0} and reason_value ~* {1}
			  union all
			  select 'c', created_by_value, state, video_quality, n
			  from rv_stats_value_delta where tenant_id = {0} and created_by_value ~* {1}),
			zero as (
			  select kind, value, state, video_quality from parts
			  group by kind, value, state, video_quality
			  having sum(n) = 0),
			cells as (
			  delete from rv_stats_value_cell c
			  where c.tenant_id = {0} and (c.kind::text, c.value, c.state, c.video_quality) in (select * from zero)),
			cleared as (
			  update rv_stats_value_delta d
			  set reason_value = case when ('r', d.reason_value, d.state, d.video_quality) in (select * from zero)
			                          then null else d.reason_value end,
			      created_by_value = case when ('c', d.created_by_value, d.state, d.video_quality) in (select * from zero)
			                              then null else d.created_by_value end
			  where d.tenant_id = {0}
			    and (('r', d.reason_value, d.state, d.video_quality) in (select * from zero)
			         or ('c', d.created_by_value, d.state, d.video_quality) in (select * from zero)))
			select 1""";

	static final int MIN_LENGTH = 3;

	static final int MAX_LENGTH = 255;

	private final DSLContext db;

	private final TenantRepository tenants;

	private final TenantTables tables;

	private final ApiKeyHasher hasher;

	private final AuditLog audit;

	private final TransactionTemplate transaction;

	Erasure(DSLContext db, TenantRepository tenants, TenantTables tables, ApiKeyHasher hasher, AuditLog audit,
			PlatformTransactionManager transactions) {
		this.db = db;
		this.tenants = tenants;
		this.tables = tables;
		this.hasher = hasher;
		this.audit = audit;
		this.transaction = new TransactionTemplate(transactions);
	}

	/** What an erasure changed: rows per table (only tables with changes). */
	record Erased(UUID tenantId, String pseudonym, long recordsChanged, Map<String, Long> byTable) {
	}

	Erased erase(AuditActor actor, UUID tenantId, @Nullable String value) {
		return this.audit.audited(actor, "tenant.erasure", tenantId, AuditEntry.tenant(tenantId),
				() -> this.transaction.execute((status) -> {
					String checked = check(value);
					if (!this.tenants.exists(tenantId)) {
						throw new TenantNotFound(tenantId);
					}
					String pseudonym = pseudonym(tenantId, checked);
					String pattern = pattern(checked);
					Map<String, Long> byTable = new LinkedHashMap<>();
					long total = 0;
					// the compactor takes turns on this lock; holding it, no fold runs
					// under the cleanup
					for (TextCells cells : TEXT_CELLS) {
						this.db.execute("select pg_advisory_xact_lock(hashtext({0}))", DSL.inline(cells.deltas()));
					}
					this.db.execute("select pg_advisory_xact_lock(hashtext('rv_stats_value_delta'))");
					this.db.execute("select pg_advisory_xact_lock(hashtext('rv_stats_device_delta'))");
					for (Map.Entry<String, List<TenantTables.TextColumn>> table : this.tables.textColumns()
						.entrySet()) {
						if (DERIVED.contains(table.getKey())) {
							continue;
						}
						long changed = replace(table.getKey(), table.getValue(), tenantId, pattern, pseudonym);
						if (changed > 0) {
							byTable.put(table.getKey(), changed);
							total += changed;
						}
					}
					for (TextCells cells : TEXT_CELLS) {
						this.db.resultQuery(cells.dropZeroSql(), DSL.val(tenantId), DSL.val(pattern)).fetch();
					}
					this.db.resultQuery(DROP_ZERO_VALUE_CELLS, DSL.val(tenantId), DSL.val(pattern)).fetch();
					this.db.execute("delete from rv_stats_value_delta where tenant_id = {0}"
							+ " and reason_value is null and created_by_value is null", DSL.val(tenantId));
					this.db
						.resultQuery("select rv_stats_device_fold({0}, {1})", DSL.val(tenantId),
								DSL.inline(Integer.MAX_VALUE))
						.fetch();
					Map<String, @Nullable Object> detail = new LinkedHashMap<>();
					detail.put("pseudonym", pseudonym);
					detail.put("records_changed", total);
					detail.put("by_table", byTable);
					this.audit.record(AuditEntry.succeeded(actor, "tenant.erasure", tenantId,
							AuditEntry.tenant(tenantId), detail));
					log.info("Erasure in tenant {}: {} records now say {}", tenantId, total, pseudonym);
					return new Erased(tenantId, pseudonym, total, byTable);
				}));
	}

	private long replace(String table, List<TenantTables.TextColumn> columns, UUID tenantId, String pattern,
			String pseudonym) {
		StringBuilder set = new StringBuilder();
		StringBuilder any = new StringBuilder();
		for (TenantTables.TextColumn column : columns) {
			String name = DSL.name(column.name()).toString();
			String text = column.json() ? name + "::text" : name;
			String replaced = "regexp_replace(" + text + ", {1}, {2}, 'gi')";
			if (column.json()) {
				replaced = "(" + replaced + ")::" + "jsonb";
			}
			if (!set.isEmpty()) {
				set.append(", ");
				any.append(" or ");
			}
			set.append(name)
				.append(" = case when ")
				.append(text)
				.append(" ~* {1} then ")
				.append(replaced)
				.append(" else ")
				.append(name)
				.append(" end");
			any.append(text).append(" ~* {1}");
		}
		return this.db.execute("update " + DSL.name(table) + " set " + set + " where "
				+ DSL.name(TenantTables.TENANT_COLUMN) + " = {0} and (" + any + ")", DSL.val(tenantId),
				DSL.val(pattern), DSL.val(pseudonym));
	}

	static String check(@Nullable String value) {
		String trimmed = (value != null) ? value.strip() : "";
		if (trimmed.codePointCount(0, trimmed.length()) < MIN_LENGTH
				|| trimmed.codePointCount(0, trimmed.length()) > MAX_LENGTH) {
			throw new InvalidRequest("value must be " + MIN_LENGTH + " to " + MAX_LENGTH
					+ " characters: the created_by or updated_by value to erase.");
		}
		if (trimmed.codePoints().anyMatch((c) -> Character.isISOControl(c) || c == '"' || c == '\\')) {
			throw new InvalidRequest("value must not contain control characters, quotes or backslashes.");
		}
		return trimmed;
	}

	String pseudonym(UUID tenantId, String value) {
		byte[] digest = this.hasher.keyedDigest("rv-feed erasure",
				tenantId + "\u0000" + value.toLowerCase(Locale.ROOT));
		return "erased-" + HexFormat.of().formatHex(digest, 0, 8);
	}

	/**
	 * The value as a PostgreSQL regular expression matching it literally as a whole
	 * token: not next to a letter, digit or underscore.
	 */
	static String pattern(String value) {
		StringBuilder literal = new StringBuilder();
		value.codePoints().forEach((c) -> {
			if (c < 128 && !Character.isLetterOrDigit(c)) {
				literal.append('\\');
			}
			literal.appendCodePoint(c);
		});
		return "(?<![[:alnum:]_])" + literal + "(?![[:alnum:]_])";
	}

}
