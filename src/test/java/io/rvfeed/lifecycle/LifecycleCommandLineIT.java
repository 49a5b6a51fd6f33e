package io.rvfeed.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.cli.RvFeedCommandLine;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/** The jar's {@code data} commands, on the suite's database, audited as the OS user. */
@ExtendWith(OutputCaptureExtension.class)
class LifecycleCommandLineIT extends ServiceTest {

	@Autowired
	HikariDataSource database;

	@Test
	void retentionErasureAndDeletionFromTheCommandLine(CapturedOutput output) {
		TestTenant tenant = this.tenants.create();
		UUID session = UUID.randomUUID();
		assertThat(write(tenant)
			.create("{\"session_id\":\"" + session + "\",\"device_id\":\"" + UUID.randomUUID()
					+ "\",\"device_name\":\"Kiosk\",\"created_by\":\"carol@acme.example\"}")
			.status()).isEqualTo(201);

		assertThat(run("data", "retention", "--tenant", tenant.id().toString(), "--days", "90")).isZero();
		assertThat(admin("/admin/tenants/" + tenant.id() + "/retention").get("days").asInt()).isEqualTo(90);
		assertThat(run("data", "retention", "--tenant", tenant.id().toString(), "--days", "0")).isEqualTo(1);
		assertThat(run("data", "purge")).isZero();
		assertThat(run("data", "purge", "--bogus")).isEqualTo(2);

		assertThat(run("data", "erase", "--tenant", tenant.id().toString(), "--value", "Carol@acme.example")).isZero();
		assertThat(write(tenant).feedRow(session).get("created_by").asString()).startsWith("erased-");

		assertThat(run("data", "delete-tenant", "--tenant", tenant.id().toString())).isZero();
		assertStandardError(this.api.get("/api/v2/rv-activity-feed/").key(tenant.key()).send(), 401);
		assertThat(TenantDeletionIT.rowsOf(new JdbcTemplate(this.database), tenant.id())).isEmpty();
		assertThat(run("data", "delete-tenant", "--tenant", UUID.randomUUID().toString())).isEqualTo(1);

		JsonNode audit = this.api.get("/admin/audit?tenant_id=" + tenant.id())
			.key(IntegrationTest.ADMIN_TOKEN)
			.send()
			.json();
		List<String> entries = new ArrayList<>();
		audit.get("results")
			.forEach((entry) -> entries.add(entry.get("action").asString() + " " + entry.get("outcome").asString() + " "
					+ entry.get("source").asString()));
		assertThat(entries).contains("tenant.retention_set succeeded cli", "tenant.retention_set refused cli",
				"tenant.erasure succeeded cli", "tenant.deletion_requested succeeded cli",
				"tenant.deleted succeeded system");
	}

	private JsonNode admin(String path) {
		return this.api.get(path).key(IntegrationTest.ADMIN_TOKEN).send().json();
	}

	private int run(String... command) {
		List<String> args = new ArrayList<>(List.of(command));
		args.addAll(List.of("--spring.datasource.url=" + this.database.getJdbcUrl(), "--rvfeed.bootstrap.tenant=",
				"--rvfeed.bootstrap.api-key=", "--rvfeed.api-keys.hash-secret=" + IntegrationTest.KEY_HASH_SECRET));
		if (this.database.getUsername() != null) {
			args.add("--spring.datasource.username=" + this.database.getUsername());
		}
		if (this.database.getPassword() != null) {
			args.add("--spring.datasource.password=" + this.database.getPassword());
		}
		return RvFeedCommandLine.execute(args.toArray(String[]::new));
	}

}
