/**
 * Tenants and API keys for the operator: the admin API under {@code /admin/} (its own
 * token and security chain) and the same operations on the jar's command line. Exposes
 * {@link io.rvfeed.admin.AdminCommandLine} to the application's {@code main}. Uses
 * {@code auth}, {@code ratelimit} and {@code web}.
 */
@NullMarked
package io.rvfeed.admin;

import org.jspecify.annotations.NullMarked;
