package io.rvfeed.auth;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import org.springframework.stereotype.Repository;

@Repository
public class ApiKeyRepository {

	static final Table<Record> API_KEY = DSL.table(DSL.name("api_key"));

	static final Field<UUID> TENANT_ID = DSL.field(DSL.name("tenant_id"), SQLDataType.UUID);

	static final Field<UUID> KEY_ID = DSL.field(DSL.name("key_id"), SQLDataType.UUID);

	static final Field<String> NAME = DSL.field(DSL.name("name"), SQLDataType.CLOB);

	static final Field<String> PREFIX = DSL.field(DSL.name("prefix"), SQLDataType.CLOB);

	static final Field<byte[]> KEY_HASH = DSL.field(DSL.name("key_hash"), SQLDataType.BLOB);

	static final Field<String[]> SCOPES = DSL.field(DSL.name("scopes"), SQLDataType.CLOB.array());

	static final Field<Instant> LAST_USED_AT = DSL.field(DSL.name("last_used_at"), SQLDataType.INSTANT);

	static final Field<Instant> REVOKED_AT = DSL.field(DSL.name("revoked_at"), SQLDataType.INSTANT);

	private final DSLContext db;

	ApiKeyRepository(DSLContext db) {
		this.db = db;
	}

	/** Stores a key (its hash only) for the tenant and answers its id. */
	public UUID create(UUID tenantId, String name, Set<Scope> scopes, String key) {
		UUID keyId = UUID.randomUUID();
		this.db.insertInto(API_KEY)
			.set(TENANT_ID, tenantId)
			.set(KEY_ID, keyId)
			.set(NAME, name)
			.set(PREFIX, ApiKeys.prefix(key))
			.set(KEY_HASH, ApiKeys.hash(key))
			.set(SCOPES, scopes.stream().map(Scope::value).toArray(String[]::new))
			.execute();
		return keyId;
	}

	public Optional<UUID> findTenantOfKey(String key) {
		return this.db.select(TENANT_ID).from(API_KEY).where(KEY_HASH.eq(ApiKeys.hash(key))).fetchOptional(TENANT_ID);
	}

	/** The principal of a key that exists and is not revoked. */
	Optional<ApiPrincipal> authenticate(String key) {
		byte[] hash = ApiKeys.hash(key);
		return this.db.select(TENANT_ID, KEY_ID, NAME, KEY_HASH, SCOPES)
			.from(API_KEY)
			.where(KEY_HASH.eq(hash).and(REVOKED_AT.isNull()))
			.fetchOptional()
			.filter((row) -> MessageDigest.isEqual(row.get(KEY_HASH), hash))
			.map((row) -> new ApiPrincipal(row.get(TENANT_ID), row.get(KEY_ID), row.get(NAME),
					scopes(row.get(SCOPES))));
	}

	/** Records use at most once a minute per key, so reads do not turn into writes. */
	void touch(ApiPrincipal principal) {
		this.db.update(API_KEY)
			.set(LAST_USED_AT, DSL.currentInstant())
			.where(TENANT_ID.eq(principal.tenantId()))
			.and(KEY_ID.eq(principal.keyId()))
			.and(LAST_USED_AT.isNull().or(DSL.condition("{0} < now() - interval '1 minute'", LAST_USED_AT)))
			.execute();
	}

	private static Set<Scope> scopes(String[] values) {
		Set<Scope> scopes = EnumSet.noneOf(Scope.class);
		Arrays.stream(values).map(Scope::fromValue).flatMap(Optional::stream).forEach(scopes::add);
		return scopes;
	}

}
