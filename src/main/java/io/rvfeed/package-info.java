/**
 * rv-feed: a self-hostable remote-viewer activity feed. This package holds only the
 * application class and its {@code main}, which hands the jar's command lines to
 * {@code admin} and {@code bench} and otherwise starts the service.
 * <p>
 * One package per feature below it; their dependencies point one way (bottom first):
 * {@code web <- ratelimit <- auth <- session <- feed <- bench}, with {@code admin} on
 * {@code auth}, {@code demo} on {@code session}, and {@code docs} and {@code db} on their
 * own. {@code ArchitectureTest} (in the tests) holds the table of allowed uses and checks
 * it; a new package adds its row there.
 */
@NullMarked
package io.rvfeed;

import org.jspecify.annotations.NullMarked;
