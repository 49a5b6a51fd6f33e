/**
 * Tenants, API keys and the bearer security of {@code /api/} (and the metrics token).
 * Exposes the caller ({@link io.rvfeed.auth.ApiPrincipal}, {@link io.rvfeed.auth.Scope})
 * to the features that serve requests; the tenant and key repositories, key making and
 * the operator tokens to {@code admin}; the first-run tenant
 * ({@link io.rvfeed.auth.TenantBootstrap}) to {@code demo}. Uses {@code ratelimit} and
 * {@code web}.
 */
@NullMarked
package io.rvfeed.auth;

import org.jspecify.annotations.NullMarked;
