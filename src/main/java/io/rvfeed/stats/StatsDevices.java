package io.rvfeed.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

import io.rvfeed.feed.FeedFilters.KeptFilter;
import io.rvfeed.session.SessionState;
import io.rvfeed.session.SessionTable;

/**
 * Statistics grouped by device name or device id, alone or with state, over all time,
 * unfiltered or filtered on states (on one state when state is not a key). Which groups
 * have most sessions comes, for all states and the final ones, from the counts kept on
 * write, with the deltas not folded yet added: the first entries of their index (V52);
 * for the states a session passes through, from the sessions in them, through their
 * partial index (V58, V60). The groups shown are then measured from their own rows
 * (exact), the total from the value cells (V51). Runs in the caller's repeatable-read
 * snapshot, so the counts and the rows agree.
 */
final class StatsDevices {

	/**
	 * Deltas not folded yet (of the kind, in the states asked) above which the rows are
	 * read.
	 */
	static final int MAX_PENDING = 10_000;

	/** Code-point order, as PostgreSQL's "C" collation orders UTF-8 text. */
	static final Comparator<String> CODE_POINT = (a, b) -> Arrays.compare(a.codePoints().toArray(),
			b.codePoints().toArray());

	private final DSLContext db;

	private final int timeoutSeconds;

	StatsDevices(DSLContext db, int timeoutSeconds) {
		this.db = db;
		this.timeoutSeconds = timeoutSeconds;
	}

	static boolean answerable(StatsQuery query, KeptFilter filter) {
		List<GroupKey> keys = query.groupBy();
		long devices = keys.stream().filter(StatsDevices::isDeviceKey).count();
		boolean byState = keys.contains(GroupKey.STATE_KEY);
		return devices == 1 && keys.size() == (byState ? 2 : 1) && filter.videoQualities().isEmpty()
				&& filter.from() == null && filter.until() == null && (byState || filter.states().size() <= 1);
	}

	private static boolean isDeviceKey(GroupKey key) {
		return key == GroupKey.DEVICE_NAME_KEY || key == GroupKey.DEVICE_ID_KEY;
	}

	/** The answer, or empty when too many deltas wait to be folded. */
	Optional<StatsPage.Content> read(UUID tenantId, StatsQuery query, KeptFilter filter, StatsCells cells) {
		GroupKey deviceKey = query.groupBy().stream().filter(StatsDevices::isDeviceKey).findFirst().orElseThrow();
		String kind = (deviceKey == GroupKey.DEVICE_NAME_KEY) ? "n" : "i";
		boolean byState = query.groupBy().contains(GroupKey.STATE_KEY);
		List<String> states;
		if (!byState) {
			states = List.of(filter.states().isEmpty() ? "" : filter.states().iterator().next().name());
		}
		else {
			states = (filter.states().isEmpty() ? Arrays.stream(SessionState.values()) : filter.states().stream())
				.map(Enum::name)
				.sorted()
				.toList();
		}
		String[] stateArray = states.toArray(String[]::new);
		Map<Group, Long> pending = new HashMap<>();
		for (Record row : this.db.resultQuery("""
				select k.value, k.state, sum(d.n) as n from rv_stats_device_delta d
				cross join lateral rv_stats_device_keys(d.device_name, d.device_id, d.state) k
				where d.tenant_id = {0} and k.kind = {1}::char(1) and k.state = any({2})
				group by k.value, k.state
				having sum(d.n) <> 0
				limit {3}""", DSL.val(tenantId), DSL.val(kind), DSL.val(stateArray), DSL.inline(MAX_PENDING + 1))
			.queryTimeout(this.timeoutSeconds)
			.fetch()) {
			pending.put(new Group(row.get(0, String.class), row.get(1, String.class)), row.get(2, Long.class));
		}
		if (pending.size() > MAX_PENDING) {
			return Optional.empty();
		}
		Map<Group, Long> foldedOfPending = new HashMap<>();
		if (!pending.isEmpty()) {
			List<Group> keys = new ArrayList<>(pending.keySet());
			for (Record row : this.db
				.resultQuery("""
						select c.value, c.state, c.n
						from rv_stats_device_count c
						join unnest({2}::text[], {3}::text[]) k (v, s) on c.value = k.v and c.state = k.s
						where c.tenant_id = {0} and c.kind = {1}::char(1)""", DSL.val(tenantId), DSL.val(kind),
						DSL.val(keys.stream().map(Group::value).toArray(String[]::new)),
						DSL.val(keys.stream().map(Group::state).toArray(String[]::new)))
				.queryTimeout(this.timeoutSeconds)
				.fetch()) {
				foldedOfPending.put(new Group(row.get(0, String.class), row.get(1, String.class)),
						row.get(2, Long.class));
			}
		}
		// the first (limit + pending) of each state hold the first (limit) not pending;
		// the pending ones are counted exactly
		Map<Group, Long> counts = new HashMap<>();
		int first = query.limit() + pending.size();
		for (String state : states) {
			if (isPassing(state)) {
				continue;
			}
			for (Record row : this.db
				.resultQuery(KEPT_TOP, DSL.val(tenantId), DSL.val(kind), DSL.val(state), DSL.inline(first))
				.queryTimeout(this.timeoutSeconds)
				.fetch()) {
				Group group = new Group(row.get(0, String.class), state);
				if (!pending.containsKey(group)) {
					counts.put(group, row.get(1, Long.class));
				}
			}
		}
		String[] passing = states.stream().filter(StatsDevices::isPassing).toArray(String[]::new);
		long groupCount = this.db
			.resultQuery("""
					select coalesce(sum(groups), 0) from rv_stats_device_groups
					where tenant_id = {0} and kind = {1}::char(1) and state = any({2})""", DSL.val(tenantId),
					DSL.val(kind), DSL.val(stateArray))
			.queryTimeout(this.timeoutSeconds)
			.fetchSingle(0, Long.class);
		if (passing.length > 0) {
			// no deltas name these states: their counts are the rows'
			String top = kind.equals("n") ? PASSING_TOP_BY_NAME : PASSING_TOP_BY_ID;
			for (String state : passing) {
				List<Record> rows = this.db.resultQuery(top, DSL.val(tenantId), DSL.val(state), DSL.inline(first))
					.queryTimeout(this.timeoutSeconds)
					.fetch();
				for (Record row : rows) {
					counts.put(new Group(row.get("value", String.class), state), row.get("n", Long.class));
				}
				groupCount += rows.isEmpty() ? 0 : rows.get(0).get("groups", Long.class);
			}
		}
		for (Map.Entry<Group, Long> each : pending.entrySet()) {
			long folded = foldedOfPending.getOrDefault(each.getKey(), 0L);
			long now = folded + each.getValue();
			groupCount += ((now > 0) ? 1 : 0) - ((folded > 0) ? 1 : 0);
			if (now > 0) {
				counts.put(each.getKey(), now);
			}
		}
		List<Group> shown = new ArrayList<>(counts.keySet());
		shown.sort(order(query, counts));
		shown = shown.subList(0, Math.min(query.limit(), shown.size()));
		Map<Group, StatsPage.Metrics> measured = measure(tenantId, deviceKey, byState, filter, shown);
		if (!measured.keySet().containsAll(shown)) {
			// counts and rows disagree: never expected in one snapshot; the rows are
			// right
			return Optional.empty();
		}
		List<StatsPage.Group> groups = new ArrayList<>();
		for (Group group : shown) {
			Map<String, @Nullable Object> key = new LinkedHashMap<>();
			for (GroupKey each : query.groupBy()) {
				key.put(each.parameter(), (each == GroupKey.STATE_KEY) ? group.state() : group.value());
			}
			groups.add(new StatsPage.Group(key, measured.get(group)));
		}
		StatsPage.Metrics total = cells.totalInStates(tenantId, query, filter);
		return Optional.of(new StatsPage.Content(query.groupBy().stream().map(GroupKey::parameter).toList(),
				query.zone().getId(), total, groupCount, groups));
	}

	/** The first {3} counts of a state by count, then value, from their index (V52). */
	private static final String KEPT_TOP = """
			select value, n from rv_stats_device_count
			where tenant_id = {0} and kind = {1}::char(1) and state = {2} and n > 0
			order by n desc, value collate "C"
			limit {3}""";

	/**
	 * The first {2} devices of a state {1} a session passes through by their sessions in
	 * it, each row with how many devices it has, from the partial index of such sessions
	 * by state and device id, carrying the name (V60), grouped by %1$s (by id in the
	 * index's order, by name hashed) and shown as text (%2$s). The list of those states
	 * repeats the index's condition, so the plan uses it whatever {1} holds.
	 */
	private static final String PASSING_TOP = """
			select %2$s as value, count(*) as n, count(*) over () as groups
			from rv_session
			where tenant_id = {0} and state = {1} and state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE')
			group by %1$s
			order by n desc, %2$s collate "C"
			limit {2}""";

	private static final String PASSING_TOP_BY_NAME = PASSING_TOP.formatted("device_name", "device_name");

	private static final String PASSING_TOP_BY_ID = PASSING_TOP.formatted("device_id", "device_id::text");

	/**
	 * Whether a state's device counts are read from its sessions (V58): the states a
	 * session passes through, not the final ones, nor all states ('').
	 */
	private static boolean isPassing(String state) {
		return !state.isEmpty() && !SessionState.valueOf(state).isTerminal();
	}

	/** Count descending, then the keys in the order asked, text in code-point order. */
	private static Comparator<Group> order(StatsQuery query, Map<Group, Long> counts) {
		Comparator<Group> order = Comparator.comparingLong((Group g) -> counts.get(g)).reversed();
		for (GroupKey key : query.groupBy()) {
			order = (key == GroupKey.STATE_KEY) ? order.thenComparing(Group::state)
					: order.thenComparing(Group::value, CODE_POINT);
		}
		return order;
	}

	/**
	 * The shown groups' metrics from their rows, as the rows' statement computes them.
	 */
	private Map<Group, StatsPage.Metrics> measure(UUID tenantId, GroupKey deviceKey, boolean byState, KeptFilter filter,
			List<Group> shown) {
		Map<Group, StatsPage.Metrics> measured = new HashMap<>();
		if (shown.isEmpty()) {
			return measured;
		}
		// by name from the feed's index by name (V60: it carries state and duration),
		// led by the folded name, in the "C" collation; by id from its own index (V52)
		Condition ofDevice = (deviceKey == GroupKey.DEVICE_NAME_KEY)
				? SessionTable.DEVICE_NAME_LC.collate(StatsRepository.CODE_POINT)
					.eq(DSL.field(DSL.name("v", "lc"), String.class))
					.and(SessionTable.DEVICE_NAME.collate(StatsRepository.CODE_POINT)
						.eq(DSL.field(DSL.name("v", "k"), String.class)))
				: SessionTable.DEVICE_ID.eq(DSL.field(DSL.name("v", "k"), UUID.class));
		Condition ofGroup = SessionTable.TENANT_ID.eq(tenantId).and(ofDevice);
		if (byState || !filter.states().isEmpty()) {
			// the group's state, or the one state filtered on
			ofGroup = ofGroup.and(SessionTable.STATE.eq(DSL.field(DSL.name("v", "s"), String.class)));
		}
		String type = (deviceKey == GroupKey.DEVICE_NAME_KEY) ? "text" : "uuid";
		// a group at a time, from its own entries of its index (V52, V60): no sort of all
		// the shown groups' sessions together
		String sql = "select v.k::text as k, v.s as ks, m.* from unnest({0}::" + type
				+ "[], {1}::text[], {3}::text[]) v (k, s, lc) cross join lateral ({2}) m";
		Select<?> ofEach = DSL.select(StatsRepository.metricFields(SessionTable.STATE, SessionTable.DURATION_US))
			.from(SessionTable.RV_SESSION)
			.where(ofGroup);
		for (Record row : this.db
			.resultQuery(sql, DSL.val(shown.stream().map(Group::value).toArray(String[]::new)),
					DSL.val(shown.stream().map(Group::state).toArray(String[]::new)), ofEach,
					DSL.val(shown.stream().map(g -> SessionTable.fold(g.value())).toArray(String[]::new)))
			.queryTimeout(this.timeoutSeconds)
			.fetch()) {
			measured.put(new Group(row.get("k", String.class), row.get("ks", String.class)),
					StatsRepository.metrics(row));
		}
		return measured;
	}

	/** A group: the device's name or id (text) and a state, or '' for all states. */
	private record Group(String value, String state) {
	}

}
