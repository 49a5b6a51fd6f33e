package io.rvfeed.support;

import java.lang.annotation.Documented;
import java.lang.annotation.Inherited;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * A full service on a random port over a real PostgreSQL: the embedded one by default, or
 * the server named by {@code SPRING_DATASOURCE_URL}. All such tests share one application
 * context, so keep their configuration here.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "rvfeed.embedded-db.data-directory=${java.io.tmpdir}/rvfeed-it-${random.uuid}",
				"rvfeed.embedded-db.delete-on-stop=true",
				// faster, and losing data on a crash does not matter to a test; only here
				"rvfeed.embedded-db.non-durable-for-tests=true", "rvfeed.demo.enabled=false",
				"rvfeed.bootstrap.tenant=" + IntegrationTest.BOOTSTRAP_TENANT,
				"rvfeed.bootstrap.api-key=" + IntegrationTest.BOOTSTRAP_KEY,
				"rvfeed.api-keys.hash-secret=" + IntegrationTest.KEY_HASH_SECRET,
				"rvfeed.metrics.token=" + IntegrationTest.METRICS_TOKEN,
				"rvfeed.admin.token=" + IntegrationTest.ADMIN_TOKEN,
				// far above what any test sends,
				// so that only tests of rate limiting see 429
				"rvfeed.rate-limit.requests-per-second=" + IntegrationTest.DEFAULT_RATE,
				"rvfeed.rate-limit.burst=" + IntegrationTest.DEFAULT_RATE,
				// webhook tests deliver to receivers on loopback, and retry within
				// seconds
				"rvfeed.webhook.allow-private-targets=true", "rvfeed.webhook.retry-schedule=1s,2s,4s" })
public @interface IntegrationTest {

	String BOOTSTRAP_TENANT = "0b1e5c1a-7e57-4c1a-9a55-000000000001";

	String BOOTSTRAP_KEY = "rvf_integration-test-bootstrap-key";

	/**
	 * Every service the tests start on the suite's database needs this secret: its keys
	 * are stored under it (and an external database keeps them from run to run).
	 */
	String KEY_HASH_SECRET = "it-key-hash-secret-Xq7vN2pLk9Rw4Tz8Hm3Bj6Yc1Fd5Gs0";

	String METRICS_TOKEN = "integration-test-metrics-token";

	String ADMIN_TOKEN = "integration-test-admin-token";

	int DEFAULT_RATE = 1_000_000;

}
