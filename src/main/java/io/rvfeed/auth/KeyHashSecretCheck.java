package io.rvfeed.auth;

import java.security.MessageDigest;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.rvfeed.db.DatabaseStartupTask;

/**
 * Refuses to start with a key hash secret other than the one the database's keys were
 * stored under: every key would be refused otherwise, with nothing in the log to say why.
 * Runs before anything looks a key up. When the check value is missing (deleted on
 * purpose to change the secret), the current secret's is recorded.
 */
@Component
@Order(-100)
class KeyHashSecretCheck implements DatabaseStartupTask {

	private static final Logger log = LoggerFactory.getLogger(KeyHashSecretCheck.class);

	private static final Table<?> SECRET = DSL.table(DSL.name("api_key_hash_secret"));

	private static final Field<byte[]> FINGERPRINT = DSL.field(DSL.name("fingerprint"), SQLDataType.BLOB);

	private final DSLContext db;

	private final ApiKeyHasher hasher;

	KeyHashSecretCheck(DSLContext db, ApiKeyHasher hasher) {
		this.db = db;
		this.hasher = hasher;
	}

	@Override
	public void run() {
		byte[] ours = this.hasher.fingerprint();
		if (this.db.insertInto(SECRET).set(FINGERPRINT, ours).onConflictDoNothing().execute() == 1) {
			log.warn("Recorded the API key hash secret's check value: keys stored under another secret no longer "
					+ "authenticate");
			return;
		}
		byte[] stored = this.db.select(FINGERPRINT).from(SECRET).fetchOne(FINGERPRINT);
		if (!MessageDigest.isEqual(ours, stored)) {
			throw new IllegalStateException("The API key hash secret (RVFEED_KEY_HASH_SECRET, or the file "
					+ "RVFEED_KEY_HASH_SECRET_FILE, default data/key-hash-secret) is not the one this database's API keys "
					+ "are stored under, so every key would be refused. Give this instance the same secret as the "
					+ "others on this database (or restore it from a backup). docs/operations.md says how to change it.");
		}
	}

}
