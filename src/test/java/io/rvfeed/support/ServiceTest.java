package io.rvfeed.support;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import io.rvfeed.support.TestTenants.TestTenant;

/**
 * The base of the integration tests: the whole service on a random port over a real
 * PostgreSQL ({@link IntegrationTest}), and what a test of it uses, ready before the
 * first {@code @BeforeAll} or {@code @BeforeEach} runs:
 * <ul>
 * <li>{@link #api}: real HTTP to the service, every exchange checked against the OpenAPI
 * document, with the feed's requests and assertions ({@link FeedApi});</li>
 * <li>{@link #tenants}: fresh tenants with keys, so a test sees only its own data;</li>
 * <li>{@link #fixtures}: sessions inserted with the service's own SQL;</li>
 * <li>{@link #write(TestTenant)}: the write API as a tenant;</li>
 * <li>{@link #port}, for clients of its own (SSE, a browser).</li>
 * </ul>
 * A test declares only what is its own: its data, and any bean it reads directly.
 */
@IntegrationTest
public abstract class ServiceTest {

	protected int port;

	protected FeedApi api;

	@Autowired
	protected TestTenants tenants;

	@Autowired
	protected SessionFixtures fixtures;

	@Autowired
	void connect(@Value("${local.server.port}") int port) {
		this.port = port;
		this.api = new FeedApi(port);
	}

	/** The write API as the tenant. */
	protected WriteApi write(TestTenant tenant) {
		return new WriteApi(this.api, tenant.key());
	}

}
