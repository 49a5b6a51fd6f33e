package io.rvfeed.db;

/**
 * Start-up work that needs the migrated database (checks, a bootstrap tenant, demo data).
 * Tasks run once, in {@code @Order}, after Flyway's migrations and before the service
 * reports ready: during start-up when PostgreSQL answers, otherwise as soon as it does. A
 * task that fails because the database went away is run again later, so tasks must be
 * idempotent; any other failure stops the service.
 */
public interface DatabaseStartupTask {

	void run();

}
