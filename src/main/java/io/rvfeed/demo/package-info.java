/**
 * Demo sessions for an empty database on a first run, in the bootstrap or demo tenant.
 * Exposes nothing. Uses {@code session} (its bulk insert) and {@code auth} (the home
 * tenant).
 */
@NullMarked
package io.rvfeed.demo;

import org.jspecify.annotations.NullMarked;
