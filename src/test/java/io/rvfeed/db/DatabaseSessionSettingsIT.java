package io.rvfeed.db;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcOperations;

import io.rvfeed.support.ServiceTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's connections run without PostgreSQL's JIT compilation (application.yaml,
 * pgjdbc {@code options}): on a big tenant it compiled each feed statement first, 700 ms
 * for a 35 ms statement (docs/performance.md).
 */
class DatabaseSessionSettingsIT extends ServiceTest {

	@Autowired
	JdbcOperations jdbc;

	@Autowired
	ReadDatabase read;

	@Test
	void pooledConnectionsHaveJitOff() {
		// several pooled connections, not just the first
		for (int i = 0; i < 5; i++) {
			assertThat(this.jdbc.queryForObject("show jit", String.class)).isEqualTo("off");
			assertThat(this.read.jdbc().queryForObject("show jit", String.class)).isEqualTo("off");
		}
	}

}
