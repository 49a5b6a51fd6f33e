/**
 * Signed webhooks to the Standard Webhooks 1.0 specification: endpoints per tenant
 * ({@code /api/v2/webhooks/}), a transactional outbox filled by a trigger on the session
 * events (V30), a delivery worker shared by every instance ({@code FOR UPDATE SKIP
 * LOCKED}), retries with backoff, the delivery log and replay. Uses {@code session},
 * {@code auth} and {@code web}.
 */
@NullMarked
package io.rvfeed.webhook;

import org.jspecify.annotations.NullMarked;
