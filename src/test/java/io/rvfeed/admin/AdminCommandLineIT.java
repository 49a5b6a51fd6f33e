package io.rvfeed.admin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.rvfeed.auth.TenantRepository;
import io.rvfeed.cli.RvFeedCommandLine;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class AdminCommandLineIT {

	static final String FEED = "/api/v2/rv-activity-feed/";

	@LocalServerPort
	int port;

	@Autowired
	KeyManagement management;

	@Autowired
	TenantRepository tenants;

	@Autowired
	HikariDataSource database;

	@Test
	void commandsCreateListRevokeAndRotate() {
		Run tenant = run("tenants", "create", "--name", "CLI tenant");
		assertThat(tenant.code()).as(tenant.err()).isZero();
		String tenantId = tenant.out().split("\t")[0];

		Run key = run("keys", "create", "--tenant", tenantId, "--name", "cli key", "--scopes", "feed:read",
				"--requests-per-second", "5", "--burst", "9");
		assertThat(key.code()).as(key.err()).isZero();
		String apiKey = line(key.out(), "API key: ");
		String keyId = line(key.out(), "key id:  ");
		HttpApi api = new HttpApi(this.port);
		HttpApi.Reply feed = api.get(FEED).key(apiKey).send();
		assertThat(feed.status()).isEqualTo(200);
		assertThat(feed.header("RateLimit-Limit")).isEqualTo("9");

		Run list = run("keys", "list", "--tenant", tenantId);
		assertThat(list.code()).isZero();
		assertThat(list.out()).contains(keyId)
			.contains(apiKey.substring(0, 12) + "...")
			.contains("cli key")
			.contains("feed:read")
			.contains("5/s burst 9")
			.doesNotContain(apiKey);

		Run rotated = run("keys", "rotate", "--tenant", tenantId, "--key", keyId);
		assertThat(rotated.code()).as(rotated.err()).isZero();
		String newKey = line(rotated.out(), "API key: ");
		String newKeyId = line(rotated.out(), "key id:  ");
		assertStandardError(api.get(FEED).key(apiKey).send(), 401);
		assertThat(api.get(FEED).key(newKey).send().status()).isEqualTo(200);

		Run revoked = run("keys", "revoke", "--tenant", tenantId, "--key", newKeyId);
		assertThat(revoked.code()).isZero();
		assertStandardError(api.get(FEED).key(newKey).send(), 401);
		assertThat(run("keys", "revoke", "--tenant", tenantId, "--key", newKeyId).code()).isEqualTo(1);

		Run limit = run("keys", "rate-limit", "--tenant", tenantId, "--key", newKeyId, "--default");
		assertThat(limit.code()).as(limit.err()).isZero();
		assertThat(limit.out()).contains("default");
		assertThat(run("tenants", "list").out()).contains(tenantId).contains("CLI tenant");
	}

	@Test
	void mistakesAreUsageErrors() {
		assertThat(run("keys", "create", "--tenant", "nope").code()).isEqualTo(2);
		assertThat(run("keys", "create", "--tenant", UUID.randomUUID().toString(), "--name", "k").code()).isEqualTo(2);
		assertThat(run("keys", "fly").code()).isEqualTo(2);
		Run unknownTenant = run("keys", "list", "--tenant", UUID.randomUUID().toString());
		assertThat(unknownTenant.code()).isEqualTo(1);
		assertThat(unknownTenant.err()).contains("There is no tenant");
	}

	@Test
	void theJarsCommandLineRunsWithoutAWebServerOnTheConfiguredDatabase(CapturedOutput output) {
		String name = "jar cli " + UUID.randomUUID();
		List<String> args = new ArrayList<>(List.of("tenants", "create", "--name", name,
				"--spring.datasource.url=" + this.database.getJdbcUrl(), "--rvfeed.bootstrap.tenant=",
				"--rvfeed.bootstrap.api-key=", "--rvfeed.api-keys.hash-secret=" + IntegrationTest.KEY_HASH_SECRET));
		if (this.database.getUsername() != null) {
			args.add("--spring.datasource.username=" + this.database.getUsername());
		}
		if (this.database.getPassword() != null) {
			args.add("--spring.datasource.password=" + this.database.getPassword());
		}
		int before = output.getOut().length();
		int code = RvFeedCommandLine.execute(args.toArray(String[]::new));
		assertThat(code).isZero();
		String printedByRun = output.getOut().substring(before);
		String printed = printedByRun.lines().filter((line) -> line.contains(name)).findFirst().orElseThrow();
		UUID tenantId = UUID.fromString(printed.split("\t")[0]);
		assertThat(this.tenants.find(tenantId)).hasValueSatisfying((t) -> assertThat(t.name()).isEqualTo(name));
		assertThat(printedByRun).doesNotContain("Tomcat").doesNotContain("Started RvFeedApplication");
	}

	private Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = AdminCommandLine.execute(this.management, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), args);
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private static String line(String text, String label) {
		return text.lines()
			.filter((line) -> line.startsWith(label))
			.findFirst()
			.orElseThrow()
			.substring(label.length())
			.trim();
	}

	record Run(int code, String out, String err) {
	}

}
