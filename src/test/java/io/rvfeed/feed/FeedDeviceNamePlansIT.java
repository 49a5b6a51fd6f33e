package io.rvfeed.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;

import io.rvfeed.db.ReadDatabase;
import io.rvfeed.session.FeedItem;
import io.rvfeed.session.SessionRow;
import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;
import io.rvfeed.support.FeedApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.SessionFixtures;
import io.rvfeed.support.TestTenants.TestTenant;

import static io.rvfeed.support.FeedApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device-name filter is read one of two ways: name by name through the device-name
 * index, for the names the facet counts list (few matching sessions), or by testing the
 * substring on each row (many). Both must give the same pages and counts for every term,
 * other filter, ordering and offset, and the same as the feed over HTTP; the names
 * include case variants of one name, wildcard characters and non-ASCII letters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedDeviceNamePlansIT extends ServiceTest {

	static final List<String> NAMES = List.of("Lobby-Kiosk-0012 Berlin", "lobby-kiosk-0012 berlin",
			"LOBBY-KIOSK-0012 BERLIN", "Ticket-Kiosk-1200 Lyon", "Ticket-Kiosk-1201 Zürich", "Kiosk_12% Ärzte",
			"POS-Terminal-0001 Austin", "Shelf-Scanner-0120 Osaka", "kiosk-12", "KIOSK-120");

	static final List<String> TERMS = List.of("kiosk-12", "KIOSK", "_", "%", "zürich", "ÄRZTE", "not a device");

	static final List<String> OTHER_FILTERS = List.of("", "&states=FAILED,ACTIVE", "&duration_gte=PT30S",
			"&created_by=alice%40example.com");

	static final List<String> ORDERINGS = List.of("", "&ordering=-device_name", "&ordering=created_at",
			"&ordering=-updated_at", "&ordering=duration,video_quality");

	static final List<String> PAGINGS = List.of("limit=500", "limit=7&offset=5");

	@Autowired
	DSLContext db;

	@Autowired
	JdbcOperations jdbc;

	@Autowired
	ReadDatabase read;

	@Autowired
	PlatformTransactionManager transactions;

	TestTenant tenant;

	FeedRepository byName;

	FeedRepository bySubstring;

	List<SessionRow> rows = new ArrayList<>();

	@BeforeAll
	void insertSessions() {
		this.tenant = this.tenants.create();
		this.byName = new FeedRepository(this.read, new FeedPlanProperties(Long.MAX_VALUE));
		this.bySubstring = new FeedRepository(this.read, new FeedPlanProperties(0L));
		SessionState[] states = SessionState.values();
		VideoQuality[] qualities = VideoQuality.values();
		String[] creators = { "alice@example.com", "Alice@Example.com", "bob@example.com" };
		for (int i = 0; i < 160; i++) {
			SessionState state = states[i % states.length];
			SessionFixtures.Builder session = this.fixtures.session(this.tenant)
				.deviceName(NAMES.get((i * 7) % NAMES.size()))
				.videoQuality(qualities[i % qualities.length])
				.createdBy(creators[i % creators.length])
				// every fourth pair shares its creation time: the tie-breaker decides
				.createdAt(SessionFixtures.BASE.plusSeconds((i % 4 == 0) ? i : i - 1))
				.state(state);
			if (state == SessionState.ACTIVE) {
				session.startedAt(SessionFixtures.BASE.plusSeconds(i + 1));
			}
			if (state == SessionState.TERMINATED || state == SessionState.FAILED) {
				session.duration(Duration.ofSeconds((i * 13) % 90));
			}
			this.rows.addAll(this.fixtures.insert(session));
		}
		// the same names in another tenant are not read
		TestTenant other = this.tenants.create();
		for (String name : NAMES) {
			this.fixtures.insert(this.fixtures.session(other).deviceName(name));
		}
	}

	@Test
	void bothPlansGiveTheFeedsPagesAndCounts() {
		int combination = 0;
		int nonEmpty = 0;
		for (String term : TERMS) {
			long matching = this.rows.stream()
				.filter((row) -> row.deviceName().toLowerCase(Locale.ROOT).contains(term.toLowerCase(Locale.ROOT)))
				.count();
			for (String filter : OTHER_FILTERS) {
				for (String ordering : ORDERINGS) {
					String paging = PAGINGS.get(combination++ % PAGINGS.size());
					String query = paging + "&device_name=" + enc(term) + filter + ordering;
					FeedRepository.Slice names = read(this.byName, query);
					FeedRepository.Slice substring = read(this.bySubstring, query);
					JsonNode page = this.api.page(this.tenant, query);
					assertThat(names.count()).as(query).isEqualTo(substring.count());
					assertThat(ids(names)).as(query).isEqualTo(ids(substring));
					assertThat(page.get("count").asLong()).as(query).isEqualTo(names.count());
					assertThat(FeedApi.ids(page)).as(query).isEqualTo(ids(names));
					if (filter.isEmpty()) {
						assertThat(names.count()).as(query).isEqualTo(matching);
					}
					nonEmpty += names.items().isEmpty() ? 0 : 1;
				}
			}
		}
		// most combinations match something, so the comparison is not of empty pages
		assertThat(nonEmpty).isGreaterThan(combination / 2);
	}

	@Test
	void aNameNotYetFoldedIntoTheCountsIsRead() {
		TestTenant fresh = this.tenants.create();
		List<SessionRow> inserted = this.fixtures
			.insert(this.fixtures.session(fresh).deviceName("Fresh-Kiosk-12 Oslo"));
		for (int pass = 0; pass < 2; pass++) {
			for (FeedRepository repository : List.of(this.byName, this.bySubstring)) {
				FeedRepository.Slice slice = repository.read(fresh.id(), parse("device_name=kiosk-12"));
				assertThat(slice.count()).isEqualTo(1);
				assertThat(ids(slice)).containsExactly(inserted.get(0).sessionId());
			}
			new TransactionTemplate(this.transactions)
				.executeWithoutResult((status) -> KeptCounts.FACETS.compact(this.db));
		}
	}

	private FeedRepository.Slice read(FeedRepository repository, String query) {
		return repository.read(this.tenant.id(), parse(query));
	}

	private static FeedQuery parse(String query) {
		Map<String, String[]> parameters = new LinkedHashMap<>();
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			parameters.put(pair.substring(0, equals), new String[] {
					java.net.URLDecoder.decode(pair.substring(equals + 1), java.nio.charset.StandardCharsets.UTF_8) });
		}
		return FeedQueryParser.parse(parameters);
	}

	private static List<UUID> ids(FeedRepository.Slice slice) {
		return slice.items().stream().map(FeedItem::sessionId).toList();
	}

}
