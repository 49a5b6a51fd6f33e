/**
 * The benchmark's command line ({@code java -jar rv-feed.jar bench ...}): generates a
 * dataset with set-based SQL and prints the SQL the service sends for a feed query.
 * Exposes {@link io.rvfeed.bench.BenchCommandLine} to the application's {@code main}.
 * Uses {@code feed}.
 */
@NullMarked
package io.rvfeed.bench;

import org.jspecify.annotations.NullMarked;
