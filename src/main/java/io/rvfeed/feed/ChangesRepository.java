package io.rvfeed.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.conf.ParamType;
import org.jooq.conf.SettingsTools;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import io.rvfeed.db.ReadDatabase;
import io.rvfeed.session.FeedItem;
import io.rvfeed.session.FeedItems;
import io.rvfeed.session.SessionTable;

/**
 * The changes feed's page: the query of {@link FeedRepository#changesAfter}, which the
 * live streams run from near the newest position, with its values inlined. A reader by
 * cursor may start anywhere, and a prepared statement's generic plan (made for an average
 * tenant) read every change after the cursor and sorted them: from the start of a big
 * tenant, all its sessions for one page. With the values in the text the plan walks the
 * changes index in order and stops at the page.
 */
@Repository
class ChangesRepository {

	private static final Field<String> CHANGE_TX_TEXT = DSL.field("{0}::text", String.class, SessionTable.CHANGE_TX)
		.as("position_tx");

	private final DSLContext inlined;

	ChangesRepository(ReadDatabase read) {
		DSLContext db = read.dsl();
		this.inlined = DSL
			.using(db.configuration().derive(SettingsTools.clone(db.settings()).withParamType(ParamType.INLINED)));
	}

	/** A session change and where it stands in the changes feed. */
	record Change(ChangePosition position, FeedItem session) {
	}

	/** Up to {@code max} matching changes after {@code after}, in position order. */
	List<Change> after(UUID tenantId, FeedQuery query, ChangePosition after, int max) {
		List<SelectField<?>> columns = new ArrayList<>(FeedItems.COLUMNS);
		columns.add(CHANGE_TX_TEXT);
		columns.add(SessionTable.CHANGE_SEQ);
		return this.inlined.select(columns)
			.from(SessionTable.RV_SESSION)
			.where(FeedConditions.conditions(tenantId, query))
			.and(DSL.condition("({0}, {1}) > ({2}::xid8, {3})", SessionTable.CHANGE_TX, SessionTable.CHANGE_SEQ,
					DSL.inline(String.valueOf(after.tx())), DSL.inline(after.seq())))
			.and(DSL.condition("{0} < pg_snapshot_xmin(pg_current_snapshot())", SessionTable.CHANGE_TX))
			.orderBy(SessionTable.CHANGE_TX, SessionTable.CHANGE_SEQ)
			.limit(DSL.inline(max))
			.fetch((row) -> new Change(
					new ChangePosition(Long.parseLong(row.get(CHANGE_TX_TEXT)), row.get(SessionTable.CHANGE_SEQ)),
					FeedItems.toItem(row)));
	}

}
