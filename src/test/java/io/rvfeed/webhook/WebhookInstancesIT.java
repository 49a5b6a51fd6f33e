package io.rvfeed.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariDataSource;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import io.rvfeed.support.ExtraService;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one database share the deliveries: 1,000 messages reach one receiver,
 * none lost, none attempted twice.
 */
class WebhookInstancesIT extends ServiceTest {

	private static final int SESSIONS = 250;

	@Autowired
	ConfigurableApplicationContext suite;

	@Autowired
	DSLContext db;

	@Test
	void twoInstancesDeliverAThousandMessagesNoneLostNoneAttemptedTwice() throws Exception {
		HikariDataSource database = this.suite.getBean(HikariDataSource.class);
		List<String> args = new ArrayList<>(ExtraService.database(database, database.getJdbcUrl()));
		args.add("--rvfeed.webhook.allow-private-targets=true");
		args.add("--rvfeed.webhook.retry-schedule=1s,2s,4s");
		try (WebhookReceiver receiver = new WebhookReceiver();
				ConfigurableApplicationContext second = ExtraService.start(args)) {
			TestTenant tenant = this.tenants.create();
			Webhooks.Made endpoint = new Webhooks(new HttpApi(this.port, false), tenant.key())
				.create(receiver.url("/many"), "[]");
			receiver.secrets("/many", endpoint.secret());
			// a session's creation and three changes: 1,000 messages, written through
			// both
			// instances
			HttpApi other = new HttpApi(ExtraService.port(second), false);
			List<UUID> sessions = new ArrayList<>();
			StringBuilder batch = new StringBuilder("[");
			for (int i = 0; i < SESSIONS; i++) {
				UUID id = write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
				sessions.add(id);
				for (String[] change : new String[][] { { "ACKNOWLEDGED", "01" }, { "ACTIVE", "02" },
						{ "TERMINATED", "03" } }) {
					batch.append((batch.length() > 1) ? "," : "")
						.append("{\"session_id\":\"")
						.append(id)
						.append("\",\"state\":\"")
						.append(change[0])
						.append("\",\"occurred_at\":\"2026-01-01T10:00:")
						.append(change[1])
						.append("Z\"}");
				}
			}
			HttpApi.Reply written = other.request("POST", "/api/v2/rv-sessions/events:batch", batch + "]")
				.key(tenant.key())
				.header("Content-Type", "application/json")
				.send();
			assertThat(written.status()).as(written.toString()).isEqualTo(200);

			List<WebhookReceiver.Delivery> got = receiver.await("/many", 4 * SESSIONS, Duration.ofSeconds(90));
			Thread.sleep(1000);
			got = receiver.deliveries("/many");
			Map<String, Long> perId = got.stream()
				.collect(Collectors.groupingBy(WebhookReceiver.Delivery::id, Collectors.counting()));
			assertThat(perId).hasSize(4 * SESSIONS);
			assertThat(perId.values()).as("each message attempted once").containsOnly(1L);
			assertThat(got).allMatch(WebhookReceiver.Delivery::valid);

			List<String> instances = this.db
				.fetch("select instance from webhook_attempt where tenant_id = ? and endpoint_id = ?", tenant.id(),
						endpoint.id())
				.map((r) -> r.get(0, String.class));
			assertThat(instances).hasSize(4 * SESSIONS);
			Map<String, Long> perInstance = instances.stream()
				.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
			System.out.printf("Two instances delivered %d messages: %s%n", got.size(), perInstance.values());
			assertThat(perInstance).as("both instances delivered").hasSize(2);
			assertThat(this.db
				.fetchOne("select count(*) from webhook_message where tenant_id = ? and status <> 'delivered'",
						tenant.id())
				.get(0, Integer.class)).isZero();
		}
	}

}
