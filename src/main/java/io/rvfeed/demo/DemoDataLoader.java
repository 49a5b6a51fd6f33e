package io.rvfeed.demo;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.rvfeed.auth.TenantBootstrap;
import io.rvfeed.db.EmbeddedDatabase;
import io.rvfeed.db.DatabaseStartupTask;
import io.rvfeed.session.SessionRepository;

/** Gives a new user a populated feed: demo sessions for an empty database. */
@Component
@Order(10)
class DemoDataLoader implements DatabaseStartupTask {

	private static final Logger log = LoggerFactory.getLogger(DemoDataLoader.class);

	private final DemoProperties properties;

	private final boolean embedded;

	private final TenantBootstrap bootstrap;

	private final SessionRepository sessions;

	DemoDataLoader(DemoProperties properties, ObjectProvider<EmbeddedDatabase> embeddedDatabase,
			TenantBootstrap bootstrap, SessionRepository sessions) {
		this.properties = properties;
		this.embedded = embeddedDatabase.getIfAvailable() != null;
		this.bootstrap = bootstrap;
		this.sessions = sessions;
	}

	@Override
	@Transactional
	public void run() {
		boolean enabled = (this.properties.enabled() != null) ? this.properties.enabled() : this.embedded;
		if (!enabled || this.sessions.anySessions()) {
			return;
		}
		this.bootstrap.homeTenant().ifPresentOrElse((tenant) -> {
			DemoSessions demo = new DemoSessions(tenant, Instant.now(), 42).generate(this.properties.sessions());
			this.sessions.insertAll(demo.sessions, demo.events);
			log.info("Loaded {} demo sessions into tenant {}", demo.sessions.size(), tenant);
		}, () -> log.info("No demo data loaded: there is no bootstrap or demo tenant to load it into"));
	}

}
