/**
 * Observability switches: {@code RVFEED_LOG_FORMAT} (structured JSON logs) and
 * {@code RVFEED_TRACING_ENDPOINT} (OpenTelemetry traces over OTLP/HTTP) turned into
 * Spring Boot's settings before the context starts, and the spans of SQL statements.
 * Exposes nothing to other packages; uses none.
 */
@NullMarked
package io.rvfeed.observability;

import org.jspecify.annotations.NullMarked;
