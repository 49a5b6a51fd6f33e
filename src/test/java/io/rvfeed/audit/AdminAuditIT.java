package io.rvfeed.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class AdminAuditIT extends ServiceTest {

	@Autowired
	DataSource dataSource;

	@Autowired
	AuditLog auditLog;

	@Test
	void everyAdminActionIsRecordedWithActorTargetAndOutcome(CapturedOutput output) {
		ch.qos.logback.classic.Logger auditLogger = (ch.qos.logback.classic.Logger) LoggerFactory
			.getLogger("io.rvfeed.audit");
		auditLogger.setLevel(Level.INFO);
		ListAppender<ILoggingEvent> lines = new ListAppender<>();
		lines.start();
		auditLogger.addAppender(lines);
		HttpApi.Reply tenant = admin(this.api.post("/admin/tenants", "{\"name\":\"Audited\"}"))
			.header("X-Caller-Id", "alice@ops.example")
			.send();
		assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
		String tenantId = tenant.json().get("tenant_id").asString();
		HttpApi.Reply key = admin(this.api.post("/admin/tenants/" + tenantId + "/keys",
				"{\"name\":\"reader\",\"scopes\":[\"feed:read\"]}"))
			.send();
		String apiKey = key.json().get("api_key").asString();
		String keyId = key.json().get("key").get("key_id").asString();
		assertThat(admin(this.api
			.request("PUT", "/admin/tenants/" + tenantId + "/keys/" + keyId + "/rate-limit",
					"{\"requests_per_second\":3,\"burst\":4}")
			.header("Content-Type", "application/json")).send().status()).isEqualTo(200);
		assertThat(
				admin(this.api.request("DELETE", "/admin/tenants/" + tenantId + "/keys/" + keyId + "/rate-limit", ""))
					.send()
					.status())
			.isEqualTo(200);
		HttpApi.Reply rotated = admin(this.api.post("/admin/tenants/" + tenantId + "/keys/" + keyId + "/rotate", ""))
			.send();
		String newKeyId = rotated.json().get("key").get("key_id").asString();
		assertThat(admin(this.api.post("/admin/tenants/" + tenantId + "/keys/" + newKeyId + "/revoke", "")).send()
			.status()).isEqualTo(200);
		// refused: already revoked
		assertStandardError(
				admin(this.api.post("/admin/tenants/" + tenantId + "/keys/" + newKeyId + "/revoke", "")).send(), 409);

		List<JsonNode> entries = entries("tenant_id=" + tenantId);
		assertThat(entries)
			.extracting((entry) -> entry.get("action").asString() + " " + entry.get("outcome").asString())
			.containsExactly("key.revoked refused", "key.revoked succeeded", "key.rotated succeeded",
					"key.rate_limit_cleared succeeded", "key.rate_limit_set succeeded", "key.created succeeded",
					"tenant.created succeeded");
		JsonNode created = entries.get(entries.size() - 1);
		assertThat(created.get("actor").asString()).isEqualTo("admin-token");
		assertThat(created.get("on_behalf_of").asString()).isEqualTo("alice@ops.example");
		assertThat(created.get("source").asString()).isEqualTo("admin-api");
		assertThat(created.get("target").asString()).isEqualTo("tenant/" + tenantId);
		assertThat(created.get("detail").get("name").asString()).isEqualTo("Audited");
		assertThat(created.get("request_id").asString()).isNotBlank();
		assertThat(created.get("client_address").asString()).isEqualTo("127.0.0.1");
		assertThat(entries.get(2).get("detail").get("replaced_by").asString()).isEqualTo(newKeyId);
		assertThat(entries.get(4).get("detail").get("after").get("burst").asInt()).isEqualTo(4);
		assertThat(entries.get(0).get("detail").get("status").asInt()).isEqualTo(409);
		assertThat(entries.get(1).get("target").asString()).isEqualTo("tenant/" + tenantId + "/key/" + newKeyId);

		// one structured log line per entry, and never the key itself
		assertThat(output.getOut()).contains("Audit #")
			.contains("key.rotated succeeded by admin-token on tenant/" + tenantId);
		assertThat(output.getOut()).doesNotContain(apiKey);
		assertThat(entries.toString()).doesNotContain(apiKey);
	}

	@Test
	void cursorPagesWalkTheWholeLogWithoutOverlap() {
		String tenantId = admin(this.api.post("/admin/tenants", "{\"name\":\"Paged\"}")).send()
			.json()
			.get("tenant_id")
			.asString();
		for (int i = 0; i < 5; i++) {
			admin(this.api.post("/admin/tenants/" + tenantId + "/keys",
					"{\"name\":\"k" + i + "\",\"scopes\":[\"feed:read\"]}"))
				.send();
		}
		List<Long> ids = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			HttpApi.Reply page = admin(this.api
				.get("/admin/audit?limit=2&tenant_id=" + tenantId + ((cursor != null) ? "&cursor=" + cursor : "")))
				.send();
			assertThat(page.status()).as(page.toString()).isEqualTo(200);
			page.json().get("results").forEach((entry) -> ids.add(entry.get("audit_id").asLong()));
			cursor = page.json().get("has_more").asBoolean() ? page.json().get("next_cursor").asString() : null;
			pages++;
		}
		while (cursor != null && pages < 10);
		assertThat(ids).hasSize(6).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
		HttpApi.Reply keysOnly = admin(this.api.get("/admin/audit?action=key.created&tenant_id=" + tenantId)).send();
		assertThat(keysOnly.json().get("results")).hasSize(5);
	}

	@Test
	void badParametersAre400AndTheLogNeedsTheAdminToken() {
		assertStandardError(admin(this.api.get("/admin/audit?limit=0")).send(), 400);
		assertStandardError(admin(this.api.get("/admin/audit?limit=x")).send(), 400);
		assertStandardError(admin(this.api.get("/admin/audit?cursor=nonsense")).send(), 400);
		assertStandardError(admin(this.api.get("/admin/audit?tenant_id=42")).send(), 400);
		assertStandardError(admin(this.api.get("/admin/audit?action=DROP%20TABLE")).send(), 400);
		assertStandardError(this.api.get("/admin/audit").send(), 401);
		assertStandardError(this.api.get("/admin/audit").key(IntegrationTest.BOOTSTRAP_KEY).send(), 401);
	}

	@Test
	void noApiChangesAnEntryAndTheDatabaseRefusesUpdatesAndDeletes() {
		UUID tenant = UUID.randomUUID();
		this.auditLog.record(AuditEntry.succeeded(AuditActor.system("test"), "test.recorded", tenant,
				AuditEntry.tenant(tenant), java.util.Map.of("n", 1)));
		for (String method : List.of("PUT", "PATCH", "DELETE", "POST")) {
			HttpApi.Reply reply = admin(
					this.api.request(method, "/admin/audit", "{}").header("Content-Type", "application/json"))
				.send();
			assertThat(reply.status()).as(method + " " + reply).isIn(404, 405);
		}
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		assertThatThrownBy(
				() -> jdbc.update("update admin_audit set outcome = 'failed' where target_tenant = ?", tenant))
			.hasStackTraceContaining("append-only");
		assertThatThrownBy(() -> jdbc.update("delete from admin_audit where target_tenant = ?", tenant))
			.hasStackTraceContaining("append-only");
		assertThatThrownBy(() -> jdbc.execute("truncate admin_audit")).hasStackTraceContaining("append-only");
		assertThat(jdbc.queryForObject("select count(*) from admin_audit where target_tenant = ?", Long.class, tenant))
			.isEqualTo(1);
	}

	private List<JsonNode> entries(String query) {
		HttpApi.Reply reply = admin(this.api.get("/admin/audit?limit=500&" + query)).send();
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		List<JsonNode> entries = new ArrayList<>();
		reply.json().get("results").forEach(entries::add);
		return entries;
	}

	static HttpApi.Call admin(HttpApi.Call call) {
		return call.key(IntegrationTest.ADMIN_TOKEN);
	}

}
