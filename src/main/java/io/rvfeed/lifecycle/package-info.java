/**
 * The data lifecycle: per-tenant retention (a background purge of expired sessions and
 * their events), tenant deletion (keys revoked at once, then every row of the tenant in
 * every table with a {@code tenant_id} column, found over the catalogue, in batches) and
 * the erasure of a person (a value replaced by a stable pseudonym in every text column of
 * the tenant's tables). Every action is recorded in the audit log. Exposes the lifecycle
 * commands to the jar's command line. Uses {@code audit}, {@code auth} and {@code web}.
 */
@NullMarked
package io.rvfeed.lifecycle;

import org.jspecify.annotations.NullMarked;
