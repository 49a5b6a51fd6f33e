package io.rvfeed.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jooq.Record;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.rvfeed.web.InvalidRequest;
import io.rvfeed.web.RequestHeaders;

/**
 * {@code GET /admin/audit}: the audit log, newest first, a page at a time
 * ({@code next_cursor} leads to older entries), filtered by tenant or action. There is no
 * endpoint that changes an entry.
 */
@RestController
@RequestMapping(path = "/admin", produces = "application/json")
class AuditController {

	static final int DEFAULT_LIMIT = 100;

	static final int MAX_LIMIT = 500;

	private static final Pattern CURSOR = Pattern.compile("^audit:([1-9][0-9]{0,18})$");

	private static final Pattern ACTION = Pattern.compile("^[a-z][a-z_]*(\\.[a-z][a-z_]*)+$");

	private final AuditRepository repository;

	private final JsonMapper json = AuditLog.JSON;

	AuditController(AuditRepository repository) {
		this.repository = repository;
	}

	@GetMapping("/audit")
	AuditPage audit(@RequestParam(name = "limit", required = false) @Nullable String limit,
			@RequestParam(name = "cursor", required = false) @Nullable String cursor,
			@RequestParam(name = "tenant_id", required = false) @Nullable String tenantId,
			@RequestParam(name = "action", required = false) @Nullable String action) {
		List<String> problems = new ArrayList<>();
		int pageSize = limit(limit, problems);
		Long before = cursor(cursor, problems);
		UUID tenant = null;
		if (tenantId != null && !tenantId.isEmpty()) {
			tenant = RequestHeaders.parseUuid(tenantId).orElse(null);
			if (tenant == null) {
				problems.add("Parameter 'tenant_id' must be a UUID.");
			}
		}
		String actionFilter = (action != null && !action.isEmpty()) ? action : null;
		if (actionFilter != null && (actionFilter.length() > 100 || !ACTION.matcher(actionFilter).matches())) {
			problems.add("Parameter 'action' must be an action name such as 'key.revoked'.");
		}
		if (!problems.isEmpty()) {
			throw new InvalidRequest(problems);
		}
		List<Record> rows = this.repository.page(before, pageSize + 1, tenant, actionFilter);
		boolean hasMore = rows.size() > pageSize;
		List<AuditView> results = rows.stream().limit(pageSize).map(this::view).toList();
		String next = hasMore ? encode(results.get(results.size() - 1).auditId()) : null;
		return new AuditPage(results, next, hasMore);
	}

	private AuditView view(Record row) {
		String detail = row.get(AuditRepository.DETAIL).data();
		@SuppressWarnings("unchecked")
		Map<String, Object> details = this.json.readValue(detail, Map.class);
		return new AuditView(row.get(AuditRepository.AUDIT_ID), row.get(AuditRepository.OCCURRED_AT),
				row.get(AuditRepository.ACTOR), row.get(AuditRepository.ON_BEHALF_OF), row.get(AuditRepository.SOURCE),
				row.get(AuditRepository.ACTION), row.get(AuditRepository.TARGET_TENANT),
				row.get(AuditRepository.TARGET), row.get(AuditRepository.OUTCOME), details,
				row.get(AuditRepository.REQUEST_ID), row.get(AuditRepository.CLIENT_ADDRESS));
	}

	private static int limit(@Nullable String value, List<String> problems) {
		if (value == null || value.isEmpty()) {
			return DEFAULT_LIMIT;
		}
		try {
			int limit = Integer.parseInt(value);
			if (limit >= 1) {
				return Math.min(limit, MAX_LIMIT);
			}
		}
		catch (NumberFormatException ex) {
			// told below
		}
		problems.add("Parameter 'limit' must be an integer from 1 to " + MAX_LIMIT + " (larger values mean " + MAX_LIMIT
				+ ").");
		return DEFAULT_LIMIT;
	}

	private static @Nullable Long cursor(@Nullable String value, List<String> problems) {
		if (value == null || value.isEmpty()) {
			return null;
		}
		try {
			String text = (value.length() <= 64)
					? new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8) : "";
			var matcher = CURSOR.matcher(text);
			if (matcher.matches()) {
				return Long.parseLong(matcher.group(1));
			}
		}
		catch (IllegalArgumentException ex) {
			// told below
		}
		problems.add("Parameter 'cursor' is not a cursor of the audit log: pass a next_cursor it gave, unchanged.");
		return null;
	}

	static String encode(long auditId) {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(("audit:" + auditId).getBytes(StandardCharsets.UTF_8));
	}

	record AuditPage(List<AuditView> results, @Nullable String nextCursor, boolean hasMore) {
	}

	record AuditView(long auditId, Instant occurredAt, String actor, @Nullable String onBehalfOf, String source,
			String action, @Nullable UUID tenantId, String target, String outcome, Map<String, Object> detail,
			@Nullable String requestId, @Nullable String clientAddress) {
	}

}
