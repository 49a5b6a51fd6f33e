package io.rvfeed.webhook;

import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher polls for due messages several times a second, also when none are due:
 * that poll must stay a probe of the due index whatever the table's statistics say. In
 * WebhookBench, statistics taken while a backlog waited made a sequential scan of the
 * message table look cheaper; once the backlog was delivered, every idle poll read the
 * whole table (45-95 ms an endpoint).
 */
class DuePollIT extends ServiceTest {

	private static final int BACKLOG = 30_000;

	@Autowired
	DSLContext db;

	@Autowired
	MessageRepository messages;

	@Test
	void theIdlePollReadsTheDueIndexAfterABacklogWasDelivered() {
		TestTenant tenant = this.tenants.create();
		UUID endpoint = UUID.randomUUID();
		// disabled, so that no delivery worker takes its messages while the test runs
		this.db.execute("""
				insert into webhook_endpoint (tenant_id, endpoint_id, url, secret, enabled)
				values (?, ?, 'https://receiver.example/hook', '\\x00'::bytea, false)""", tenant.id(), endpoint);
		try {
			this.db.execute("""
					insert into webhook_message (tenant_id, endpoint_id, event_id, session_id, event_type, change_tx,
					    arrival, next_attempt_at)
					select ?, ?, gen_random_uuid(), gen_random_uuid(), 'rv_session.ended', '1'::xid8, g,
					       now() - interval '1 hour'
					from generate_series(1, ?) g""", tenant.id(), endpoint, BACKLOG);
			// the statistics see the backlog waiting ...
			this.db.execute("analyze webhook_message");
			// ... and it is delivered before they are taken again
			this.db.execute("""
					update webhook_message set status = 'delivered', delivered_at = now(), last_attempt_at = now()
					where tenant_id = ? and endpoint_id = ?""", tenant.id(), endpoint);

			String plan = this.db.fetchValue("explain (format json) " + MessageRepository.DUE_ENDPOINTS).toString();

			assertThat(plan).contains("\"Index Name\": \"webhook_message_due\"")
				.doesNotContainPattern("\"Node Type\": \"Seq Scan\",[^}]*\"Relation Name\": \"webhook_message\"");
			assertThat(this.messages.dueEndpoints()).noneMatch((due) -> due.endpointId().equals(endpoint));
		}
		finally {
			this.db.execute("delete from webhook_message where tenant_id = ? and endpoint_id = ?", tenant.id(),
					endpoint);
			this.db.execute("delete from webhook_endpoint where tenant_id = ? and endpoint_id = ?", tenant.id(),
					endpoint);
			this.db.execute("analyze webhook_message");
		}
	}

}
