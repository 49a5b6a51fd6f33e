/**
 * The jar's command line (picocli): without a command it runs the service; the admin,
 * bench, backup/restore and follow commands start only what they need, and help starts
 * nothing. Exposes {@link io.rvfeed.cli.RvFeedCommandLine} to the entry point.
 */
@NullMarked
package io.rvfeed.cli;

import org.jspecify.annotations.NullMarked;
