package io.rvfeed.auth;

import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.rvfeed.db.EmbeddedDatabase;
import io.rvfeed.db.DatabaseStartupTask;

/**
 * Makes sure a first run has a tenant and a key to call the API with. The bootstrap
 * settings create theirs if absent; on the embedded database with neither set, an empty
 * database gets a demo tenant and key, printed once. A bootstrap key too weak to store
 * safely stops the service at start-up.
 */
@Component
@Order(0)
public class TenantBootstrap implements DatabaseStartupTask {

	private static final Logger log = LoggerFactory.getLogger(TenantBootstrap.class);

	static final int MIN_KEY_LENGTH = 24;

	private final BootstrapProperties properties;

	private final TenantRepository tenants;

	private final ApiKeyRepository keys;

	private final boolean embedded;

	private final boolean commandLine;

	private final String port;

	private UUID homeTenant;

	TenantBootstrap(BootstrapProperties properties, TenantRepository tenants, ApiKeyRepository keys,
			ObjectProvider<EmbeddedDatabase> embeddedDatabase, Environment environment) {
		if (properties.apiKey() != null) {
			KeyStrength.require("RVFEED_BOOTSTRAP_API_KEY (rvfeed.bootstrap.api-key)", properties.apiKey(),
					MIN_KEY_LENGTH);
		}
		this.properties = properties;
		this.tenants = tenants;
		this.keys = keys;
		this.embedded = embeddedDatabase.getIfAvailable() != null;
		// the admin command line manages tenants itself
		// and prints nothing it did not make
		this.commandLine = environment.getProperty("rvfeed.cli.enabled", Boolean.class, false);
		this.port = environment.getProperty("server.port", "8080");
	}

	/** The tenant that demo data goes to: the bootstrap tenant, or the demo tenant. */
	public Optional<UUID> homeTenant() {
		return Optional.ofNullable(this.homeTenant);
	}

	@Override
	@Transactional
	public void run() {
		UUID tenant = this.properties.tenant();
		String key = this.properties.apiKey();
		if (tenant == null && key == null) {
			if (this.embedded && !this.commandLine && !this.tenants.any()) {
				createDemoTenant();
			}
			return;
		}
		if (key != null) {
			Optional<UUID> owner = this.keys.findTenantOfKey(key);
			if (owner.isPresent()) {
				if (tenant != null && !owner.get().equals(tenant)) {
					throw new IllegalStateException(
							"RVFEED_BOOTSTRAP_API_KEY already belongs to another tenant than RVFEED_BOOTSTRAP_TENANT");
				}
				this.homeTenant = owner.get();
				return;
			}
		}
		this.homeTenant = (tenant != null) ? tenant : UUID.randomUUID();
		if (this.tenants.createIfAbsent(this.homeTenant, "Bootstrap tenant")) {
			log.info("Created bootstrap tenant {}", this.homeTenant);
		}
		if (key != null) {
			UUID keyId = this.keys.createChosen(this.homeTenant, "bootstrap", EnumSet.allOf(Scope.class), key);
			log.info("Created bootstrap API key {} for tenant {}", keyId, this.homeTenant);
		}
	}

	private void createDemoTenant() {
		this.homeTenant = UUID.randomUUID();
		String key = ApiKeys.generate();
		this.tenants.createIfAbsent(this.homeTenant, "Demo tenant");
		this.keys.create(this.homeTenant, "demo", EnumSet.allOf(Scope.class), key);
		log.info("""

				================================================================
				 rv-feed demo tenant created. This key is shown only this once:
				   tenant:  {}
				   API key: {}
				 Try: curl -H 'Authorization: Bearer {}' http://localhost:{}/api/v2/rv-activity-feed/
				================================================================""", this.homeTenant, key, key,
				this.port);
	}

}
