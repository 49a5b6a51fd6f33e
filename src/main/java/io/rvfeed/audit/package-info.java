/**
 * The admin audit log: every administrative action (who, when, on what, with what
 * outcome), appended to {@code admin_audit} in the action's own transaction, written as a
 * structured log line once committed, and read at {@code GET /admin/audit}. Nothing can
 * change an entry: the service has no such statement and the table refuses UPDATE, DELETE
 * and TRUNCATE (V40). Other features record their actions through
 * {@link io.rvfeed.audit.AuditLog}. Uses {@code web}.
 */
@NullMarked
package io.rvfeed.audit;

import org.jspecify.annotations.NullMarked;
