package io.rvfeed.auth;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import io.rvfeed.ratelimit.RateLimit;

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

	static final Field<Instant> CREATED_AT = DSL.field(DSL.name("created_at"), SQLDataType.INSTANT);

	static final Field<Integer> RATE_LIMIT_PER_SECOND = DSL.field(DSL.name("rate_limit_per_second"),
			SQLDataType.INTEGER);

	static final Field<Integer> RATE_LIMIT_BURST = DSL.field(DSL.name("rate_limit_burst"), SQLDataType.INTEGER);

	private static final long TOUCH_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final DSLContext db;

	private final Map<UUID, Long> lastTouched = new ConcurrentHashMap<>();

	private final ApiKeyHasher hasher;

	private final JdbcOperations jdbc;

	/**
	 * The key check of every API request, as one fixed statement with a bind value: the
	 * driver prepares it once per connection, and nothing is built per request.
	 */
	private final String authenticateSql;

	ApiKeyRepository(DSLContext db, ApiKeyHasher hasher, JdbcOperations jdbc) {
		this.db = db;
		this.hasher = hasher;
		this.jdbc = jdbc;
		this.authenticateSql = db
			.select(TENANT_ID, KEY_ID, NAME, KEY_HASH, SCOPES, RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST)
			.from(API_KEY)
			.where(KEY_HASH.eq((byte[]) null).and(REVOKED_AT.isNull()))
			.getSQL();
	}

	/**
	 * Stores a key that {@link ApiKeys#generate()} made (its keyed hash and listing
	 * prefix) for the tenant and answers its id.
	 */
	public UUID create(UUID tenantId, String name, Set<Scope> scopes, String key) {
		return create(tenantId, name, scopes, key, null);
	}

	/**
	 * Stores a key that {@link ApiKeys#generate()} made (its keyed hash and listing
	 * prefix) with its own rate limit, or null for the default, and answers its id.
	 */
	public UUID create(UUID tenantId, String name, Set<Scope> scopes, String key, @Nullable RateLimit rateLimit) {
		if (!ApiKeys.looksGenerated(key)) {
			throw new IllegalArgumentException("Not a key that ApiKeys.generate() made");
		}
		return insert(tenantId, name, scopes, key, ApiKeys.prefix(key), rateLimit);
	}

	/**
	 * Stores a key an operator chose (the bootstrap key): its keyed hash only, with an
	 * empty listing prefix, since any of its characters could shorten a search for the
	 * rest.
	 */
	UUID createChosen(UUID tenantId, String name, Set<Scope> scopes, String key) {
		return insert(tenantId, name, scopes, key, "", null);
	}

	private UUID insert(UUID tenantId, String name, Set<Scope> scopes, String key, String prefix,
			@Nullable RateLimit rateLimit) {
		UUID keyId = UUID.randomUUID();
		this.db.insertInto(API_KEY)
			.set(TENANT_ID, tenantId)
			.set(KEY_ID, keyId)
			.set(NAME, name)
			.set(PREFIX, prefix)
			.set(KEY_HASH, this.hasher.hash(key))
			.set(SCOPES, scopes.stream().map(Scope::value).toArray(String[]::new))
			.set(RATE_LIMIT_PER_SECOND, (rateLimit != null) ? rateLimit.requestsPerSecond() : null)
			.set(RATE_LIMIT_BURST, (rateLimit != null) ? rateLimit.burst() : null)
			.execute();
		return keyId;
	}

	/** The tenant's keys, revoked ones included, oldest first. */
	public List<ApiKeyInfo> list(UUID tenantId) {
		return this.db
			.select(TENANT_ID, KEY_ID, NAME, PREFIX, SCOPES, CREATED_AT, LAST_USED_AT, REVOKED_AT,
					RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST)
			.from(API_KEY)
			.where(TENANT_ID.eq(tenantId))
			.orderBy(CREATED_AT, KEY_ID)
			.fetch(ApiKeyRepository::info);
	}

	public Optional<ApiKeyInfo> find(UUID tenantId, UUID keyId) {
		return this.db
			.select(TENANT_ID, KEY_ID, NAME, PREFIX, SCOPES, CREATED_AT, LAST_USED_AT, REVOKED_AT,
					RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST)
			.from(API_KEY)
			.where(TENANT_ID.eq(tenantId).and(KEY_ID.eq(keyId)))
			.fetchOptional(ApiKeyRepository::info);
	}

	/**
	 * Revokes the key: from the moment this commits, every instance refuses it (keys are
	 * looked up on every request, never cached). Answers whether it was live until now.
	 */
	public boolean revoke(UUID tenantId, UUID keyId) {
		return this.db.update(API_KEY)
			.set(REVOKED_AT, DSL.currentInstant())
			.where(TENANT_ID.eq(tenantId).and(KEY_ID.eq(keyId)).and(REVOKED_AT.isNull()))
			.execute() == 1;
	}

	/**
	 * The ids of those of the callers' keys that are not revoked: for long-lived
	 * responses (streams, exports), which must end when their key is revoked through any
	 * instance.
	 */
	public Set<UUID> liveKeyIds(Collection<ApiPrincipal> callers) {
		if (callers.isEmpty()) {
			return Set.of();
		}
		return Set.copyOf(this.db.select(KEY_ID)
			.from(API_KEY)
			.where(DSL.row(TENANT_ID, KEY_ID)
				.in(callers.stream().map((caller) -> DSL.row(caller.tenantId(), caller.keyId())).toList()))
			.and(REVOKED_AT.isNull())
			.fetch(KEY_ID));
	}

	/**
	 * Replaces a live key by a new one with the same name, scopes and rate limit; the old
	 * key is revoked at once. Answers the new key's id, or empty when the old key is
	 * unknown or already revoked.
	 */
	@Transactional
	public Optional<UUID> rotate(UUID tenantId, UUID keyId, String newKey) {
		Optional<ApiKeyInfo> old = find(tenantId, keyId).filter((key) -> !key.revoked());
		if (old.isEmpty() || !revoke(tenantId, keyId)) {
			return Optional.empty();
		}
		ApiKeyInfo info = old.get();
		Set<Scope> scopes = info.scopes().isEmpty() ? EnumSet.noneOf(Scope.class) : EnumSet.copyOf(info.scopes());
		return Optional.of(create(tenantId, info.name(), scopes, newKey, info.rateLimit()));
	}

	/** Gives the key its own rate limit, or the default again with null. */
	public boolean setRateLimit(UUID tenantId, UUID keyId, @Nullable RateLimit rateLimit) {
		return this.db.update(API_KEY)
			.set(RATE_LIMIT_PER_SECOND, (rateLimit != null) ? rateLimit.requestsPerSecond() : null)
			.set(RATE_LIMIT_BURST, (rateLimit != null) ? rateLimit.burst() : null)
			.where(TENANT_ID.eq(tenantId).and(KEY_ID.eq(keyId)))
			.execute() == 1;
	}

	Optional<UUID> findTenantOfKey(String key) {
		return this.db.select(TENANT_ID)
			.from(API_KEY)
			.where(KEY_HASH.eq(this.hasher.hash(key)))
			.fetchOptional(TENANT_ID);
	}

	/**
	 * The principal of a key that exists and is not revoked, with the key's own rate
	 * limit (null: the default). Read from the database on every request, so a revocation
	 * takes effect at once on every instance.
	 */
	Optional<AuthenticatedKey> authenticate(String key) {
		byte[] hash = this.hasher.hash(key);
		return this.jdbc.query(this.authenticateSql, (rows) -> {
			if (!rows.next() || !MessageDigest.isEqual(rows.getBytes(4), hash)) {
				return Optional.<AuthenticatedKey>empty();
			}
			String[] scopes = (String[]) rows.getArray(5).getArray();
			int perSecond = rows.getInt(6);
			Integer requestsPerSecond = rows.wasNull() ? null : perSecond;
			int burst = rows.getInt(7);
			Integer requestsBurst = rows.wasNull() ? null : burst;
			return Optional
				.of(new AuthenticatedKey(new ApiPrincipal(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
						rows.getString(3), scopes(scopes)), rateLimit(requestsPerSecond, requestsBurst)));
		}, hash);
	}

	record AuthenticatedKey(ApiPrincipal principal, @Nullable RateLimit rateLimit) {
	}

	private static ApiKeyInfo info(Record row) {
		return new ApiKeyInfo(row.get(TENANT_ID), row.get(KEY_ID), row.get(NAME), row.get(PREFIX),
				scopes(row.get(SCOPES)), row.get(CREATED_AT), row.get(LAST_USED_AT), row.get(REVOKED_AT),
				rateLimit(row.get(RATE_LIMIT_PER_SECOND), row.get(RATE_LIMIT_BURST)));
	}

	private static @Nullable RateLimit rateLimit(@Nullable Integer perSecond, @Nullable Integer burst) {
		return (perSecond != null && burst != null) ? new RateLimit(perSecond, burst) : null;
	}

	/**
	 * Records use at most once a minute per key, so reads do not turn into writes. This
	 * instance also skips the statement itself for a key it recorded less than a minute
	 * ago, which takes a round trip off nearly every request.
	 */
	void touch(ApiPrincipal principal) {
		long now = System.nanoTime();
		Long last = this.lastTouched.get(principal.keyId());
		if (last != null && now - last < TOUCH_INTERVAL_NANOS) {
			return;
		}
		this.lastTouched.put(principal.keyId(), now);
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
