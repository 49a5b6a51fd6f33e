/**
 * The {@code follow} command: polls a service's events feed over HTTP and writes its
 * records to stdout or a file, saving the cursor only after they are flushed. Starts no
 * Spring context. Exposes the command to the entry point; uses {@code events} for the
 * record and the CEF format.
 */
@NullMarked
package io.rvfeed.follow;

import org.jspecify.annotations.NullMarked;
