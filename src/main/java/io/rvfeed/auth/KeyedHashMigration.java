package io.rvfeed.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * V11: the SHA-256 of every key stored so far becomes its keyed hash, and the secret's
 * check value is recorded (V10 made its table). Existing keys keep working, and no
 * unkeyed hash is left behind. Needs the secret, which SQL migrations do not have.
 */
@Component
class KeyedHashMigration implements JavaMigration {

	private static final Logger log = LoggerFactory.getLogger(KeyedHashMigration.class);

	private final ApiKeyHasher hasher;

	KeyedHashMigration(ApiKeyHasher hasher) {
		this.hasher = hasher;
	}

	@Override
	public MigrationVersion getVersion() {
		return MigrationVersion.fromVersion("11");
	}

	@Override
	public String getDescription() {
		return "api key keyed hashes";
	}

	@Override
	public Integer getChecksum() {
		return null;
	}

	@Override
	public boolean canExecuteInTransaction() {
		return true;
	}

	@Override
	public void migrate(Context context) throws Exception {
		Connection connection = context.getConnection();
		int converted = 0;
		try (PreparedStatement select = connection
			.prepareStatement("select tenant_id, key_id, key_hash from api_key for update");
				PreparedStatement update = connection
					.prepareStatement("update api_key set key_hash = ? where tenant_id = ? and key_id = ?");
				ResultSet rows = select.executeQuery()) {
			while (rows.next()) {
				update.setBytes(1, this.hasher.rehashSha256(rows.getBytes("key_hash")));
				update.setObject(2, rows.getObject("tenant_id"));
				update.setObject(3, rows.getObject("key_id"));
				update.addBatch();
				converted++;
			}
			update.executeBatch();
		}
		try (PreparedStatement insert = connection
			.prepareStatement("insert into api_key_hash_secret (fingerprint) values (?)")) {
			insert.setBytes(1, this.hasher.fingerprint());
			insert.executeUpdate();
		}
		log.info("Stored the {} existing API keys under the key hash secret", converted);
	}

}
