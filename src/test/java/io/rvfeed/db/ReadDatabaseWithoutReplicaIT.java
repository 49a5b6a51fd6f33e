package io.rvfeed.db;

import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.transaction.PlatformTransactionManager;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code RVFEED_READ_DATASOURCE_URL} (the suite's service) reads use the
 * primary's own beans, writes answer no consistency token, and a token header on a read
 * changes nothing: everything behaves as without the feature.
 */
class ReadDatabaseWithoutReplicaIT extends ServiceTest {

	@Autowired
	ReadDatabase read;

	@Autowired
	DSLContext dsl;

	@Autowired
	JdbcOperations jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	@Test
	void readsUseThePrimarysBeans() {
		assertThat(this.read.replicaConfigured()).isFalse();
		assertThat(this.read.dsl()).isSameAs(this.dsl);
		assertThat(this.read.jdbc()).isSameAs(this.jdbc);
		assertThat(this.read.transactions()).isSameAs(this.transactions);
		assertThat(this.read.consistencyToken()).isEmpty();
	}

	@Test
	void writesAnswerNoTokenAndReadsIgnoreOne() {
		TestTenant tenant = this.tenants.create();
		HttpApi.Reply created = write(tenant)
			.create("{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"No replica\"}");
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.response().headers().firstValue(ReadDatabase.CONSISTENCY_TOKEN_HEADER)).isEmpty();
		for (String token : new String[] { "0/0", "FFFFFFFF/FFFFFFFF", "not a token" }) {
			HttpApi.Reply read = this.api.call(tenant, "").header(ReadDatabase.CONSISTENCY_TOKEN_HEADER, token).send();
			assertThat(read.status()).as(token).isEqualTo(200);
			assertThat(read.json().get("content").get("count").asLong()).isEqualTo(1);
		}
	}

}
