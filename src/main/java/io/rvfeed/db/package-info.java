/**
 * The embedded PostgreSQL that serves when no {@code SPRING_DATASOURCE_URL} is set, and
 * its data source. Exposes nothing: other packages see the embedded server only as an
 * optional Spring bean. Uses no other package.
 */
@NullMarked
package io.rvfeed.db;

import org.jspecify.annotations.NullMarked;
