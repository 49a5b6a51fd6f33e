package io.rvfeed.feed;

import static io.rvfeed.feed.FeedConditions.CODE_POINT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jooq.Field;
import org.jooq.SortField;

import io.rvfeed.session.SessionTable;

/**
 * The keys the feed can be ordered by, named as in the {@code ordering} parameter, each
 * owning the columns it sorts by and whether it sorts NULLs last.
 * <p>
 * A page is the first rows of an index scan only if an index matches the key exactly: led
 * by {@code tenant_id}, then the key's columns in this order and collation, with
 * {@code nulls last} where the key has {@link #nullsLast()}, then the tie-breakers
 * {@code created_at desc, session_id}. Each key names its index below (V1, V5); change a
 * key's columns or its NULLS LAST only together with a migration that changes its index.
 * {@code SortKeyTest} checks that they match.
 */
enum SortKey {

	/** Index {@code rv_session_created} (V1), read backwards for ascending. */
	CREATED_AT(false, SessionTable.CREATED_AT),

	/** Index {@code rv_session_updated} (V5), read backwards for ascending. */
	UPDATED_AT(false, SessionTable.UPDATED_AT),

	/** Index {@code rv_session_device_name} (V5), read backwards for descending. */
	DEVICE_NAME(false, SessionTable.DEVICE_NAME_LC.collate(CODE_POINT), SessionTable.DEVICE_NAME.collate(CODE_POINT)),

	/**
	 * Indexes {@code rv_session_duration_asc} and {@code rv_session_duration_desc} (V5).
	 */
	DURATION(true, SessionTable.DURATION_US),

	/** Indexes {@code rv_session_state_asc} and {@code rv_session_state_desc} (V5). */
	STATE(false, SessionTable.STATE.collate(CODE_POINT)),

	/** Indexes {@code rv_session_reason_asc} and {@code rv_session_reason_desc} (V5). */
	REASON(true, SessionTable.REASON_LC.collate(CODE_POINT), SessionTable.REASON.collate(CODE_POINT)),

	/**
	 * Indexes {@code rv_session_video_quality_asc} and
	 * {@code rv_session_video_quality_desc} (V5).
	 */
	VIDEO_QUALITY(false, SessionTable.VIDEO_QUALITY.collate(CODE_POINT)),

	/**
	 * Indexes {@code rv_session_created_by_asc} and {@code rv_session_created_by_desc}
	 * (V5).
	 */
	CREATED_BY(true, SessionTable.CREATED_BY_LC.collate(CODE_POINT), SessionTable.CREATED_BY.collate(CODE_POINT));

	private final boolean nullsLast;

	private final List<Field<?>> columns;

	SortKey(boolean nullsLast, Field<?>... columns) {
		this.nullsLast = nullsLast;
		this.columns = List.of(columns);
	}

	/**
	 * Whether the key's columns can be NULL, so its order says {@code NULLS LAST} (in
	 * both directions). On a NOT NULL column the plain direction gives the same order and
	 * lets one index serve both directions.
	 */
	boolean nullsLast() {
		return this.nullsLast;
	}

	/**
	 * The columns the key sorts by, in order: text keys case-folded first, then exact.
	 */
	List<Field<?>> columns() {
		return this.columns;
	}

	String parameterName() {
		return name().toLowerCase(Locale.ROOT);
	}

	static Optional<SortKey> fromParameter(String name) {
		return Arrays.stream(values()).filter((key) -> key.parameterName().equals(name)).findFirst();
	}

	static String allowed() {
		return Arrays.stream(values()).map(SortKey::parameterName).collect(Collectors.joining(", "));
	}

	/**
	 * The feed's {@code ORDER BY}: the requested keys, then {@code -created_at} unless
	 * requested, then {@code session_id}: a total order, so offset pages never overlap or
	 * skip.
	 */
	static List<SortField<?>> orderBy(List<OrderTerm> ordering) {
		List<SortField<?>> sort = new ArrayList<>();
		boolean createdAtRequested = false;
		for (OrderTerm term : ordering) {
			createdAtRequested |= term.key() == CREATED_AT;
			for (Field<?> column : term.key().columns()) {
				SortField<?> field = term.descending() ? column.desc() : column.asc();
				sort.add(term.key().nullsLast() ? field.nullsLast() : field);
			}
		}
		if (!createdAtRequested) {
			sort.add(SessionTable.CREATED_AT.desc());
		}
		sort.add(SessionTable.SESSION_ID.asc());
		return sort;
	}

}
