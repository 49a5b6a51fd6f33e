package io.rvfeed.auth;

import java.util.List;

/**
 * What any process that opens the service's database needs of the key storage: the keyed
 * hash under the server secret, the check that the secret is this database's, and the
 * Java migration (V11) that converted SHA-256 rows, without which Flyway refuses to
 * validate the schema. The jar's commands add these to the few components they start.
 */
public final class ApiKeyStorage {

	private ApiKeyStorage() {
	}

	public static List<Class<?>> components() {
		return List.of(ApiKeyHasher.class, KeyHashSecretCheck.class, KeyedHashMigration.class);
	}

}
