/**
 * The database: the embedded PostgreSQL that serves when no {@code SPRING_DATASOURCE_URL}
 * is set, its backup, its availability (readiness, 503 during outages), and where reads
 * go ({@link io.rvfeed.db.ReadDatabase}: the primary, or a streaming replica while it is
 * fresh enough, with consistency tokens for reading one's own writes). Other packages see
 * the embedded server only as an optional Spring bean, and read through
 * {@code ReadDatabase}. Uses {@code web} for the error body.
 */
@NullMarked
package io.rvfeed.db;

import org.jspecify.annotations.NullMarked;
