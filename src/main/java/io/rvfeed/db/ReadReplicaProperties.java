package io.rvfeed.db;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * A PostgreSQL streaming replica that reads go to (see {@link ReadDatabase}). Without a
 * URL every read uses the primary, as without this feature.
 *
 * @param url JDBC URL of a streaming replica of the service's database
 * ({@code RVFEED_READ_DATASOURCE_URL}, default unset: reads use the primary)
 * @param username login on the replica ({@code RVFEED_READ_DATASOURCE_USERNAME}, default
 * unset: the primary's)
 * @param password its password ({@code RVFEED_READ_DATASOURCE_PASSWORD}, default unset:
 * the primary's)
 * @param maxLag reads go to the primary while the replica's replay lag is larger than
 * this (default 5 s)
 * @param checkInterval how often the replica's lag and reachability are measured (default
 * 1 s)
 * @param poolSize the most connections to the replica (default 20)
 * @param connectionTimeout how long a read waits for a replica connection before it uses
 * the primary instead (default 1 s)
 */
@ConfigurationProperties("rvfeed.read-replica")
public record ReadReplicaProperties(@Nullable String url, @Nullable String username, @Nullable String password,
		@DefaultValue("5s") Duration maxLag, @DefaultValue("1s") Duration checkInterval,
		@DefaultValue("20") int poolSize, @DefaultValue("1s") Duration connectionTimeout) {

	public ReadReplicaProperties {
		url = StringUtils.hasText(url) ? url.strip() : null;
		username = StringUtils.hasText(username) ? username : null;
		password = StringUtils.hasLength(password) ? password : null;
		if (url != null && !url.startsWith("jdbc:postgresql:")) {
			throw new IllegalArgumentException(
					"rvfeed.read-replica.url (RVFEED_READ_DATASOURCE_URL) must be a jdbc:postgresql: URL");
		}
		if (maxLag.isNegative() || maxLag.isZero()) {
			throw new IllegalArgumentException("rvfeed.read-replica.max-lag must be positive");
		}
		if (checkInterval.toMillis() < 100) {
			throw new IllegalArgumentException("rvfeed.read-replica.check-interval must be at least 100ms");
		}
		if (maxLag.compareTo(checkInterval) <= 0) {
			throw new IllegalArgumentException(
					"rvfeed.read-replica.max-lag must be longer than rvfeed.read-replica.check-interval");
		}
		if (poolSize < 1) {
			throw new IllegalArgumentException("rvfeed.read-replica.pool-size must be at least 1");
		}
		if (connectionTimeout.toMillis() < 250) {
			throw new IllegalArgumentException("rvfeed.read-replica.connection-timeout must be at least 250ms");
		}
	}

	/** Whether a replica is configured. */
	public boolean configured() {
		return this.url != null;
	}

	/** Without the password, which is never shown. */
	@Override
	public String toString() {
		return "ReadReplicaProperties[url=" + this.url + ", username=" + this.username + ", password="
				+ ((this.password != null) ? "(set)" : null) + ", maxLag=" + this.maxLag + ", checkInterval="
				+ this.checkInterval + ", poolSize=" + this.poolSize + ", connectionTimeout=" + this.connectionTimeout
				+ "]";
	}

}
