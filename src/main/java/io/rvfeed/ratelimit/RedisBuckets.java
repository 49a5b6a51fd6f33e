package io.rvfeed.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * Buckets kept in Redis through Bucket4j's Lettuce proxy manager, so that every instance
 * counts against the same bucket. The connection is made on first use, not at start-up,
 * so a service whose Redis is down still starts; every Redis call is bounded by the
 * timeout.
 */
final class RedisBuckets implements AutoCloseable {

	private final RedisClient client;

	private final String keyPrefix;

	private final Duration timeout;

	private StatefulRedisConnection<byte[], byte[]> connection;

	private volatile ProxyManager<byte[]> buckets;

	RedisBuckets(String url, String keyPrefix, Duration timeout) {
		RedisURI uri = RedisURI.create(url);
		uri.setTimeout(timeout);
		this.client = RedisClient.create(uri);
		this.client.setOptions(ClientOptions.builder()
			.socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
			.timeoutOptions(TimeoutOptions.enabled(timeout))
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.autoReconnect(true)
			.build());
		this.keyPrefix = keyPrefix;
		this.timeout = timeout;
	}

	ConsumptionProbe tryConsume(String bucketId, BucketConfiguration configuration) {
		byte[] key = (this.keyPrefix + bucketId).getBytes(StandardCharsets.UTF_8);
		return buckets().builder().build(key, () -> configuration).tryConsumeAndReturnRemaining(1);
	}

	private ProxyManager<byte[]> buckets() {
		ProxyManager<byte[]> current = this.buckets;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			if (this.buckets == null) {
				this.connection = this.client.connect(ByteArrayCodec.INSTANCE);
				this.buckets = Bucket4jLettuce.casBasedBuilder(this.connection)
					.requestTimeout(this.timeout)
					.expirationAfterWrite(
							ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
					.build();
			}
			return this.buckets;
		}
	}

	@Override
	public synchronized void close() {
		if (this.connection != null) {
			this.connection.close();
		}
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
	}

}
