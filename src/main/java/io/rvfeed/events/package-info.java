/**
 * The immutable events feed: every lifecycle event recorded for a tenant, by commit-order
 * cursor ({@code GET /api/v2/rv-session-events/}), and its NDJSON, CSV and CEF export.
 * Exposes to {@code follow} the record it reads ({@link io.rvfeed.events.EventRecord})
 * and the CEF line format ({@link io.rvfeed.events.CefLines}). Uses {@code session},
 * {@code auth} and {@code web}.
 */
@NullMarked
package io.rvfeed.events;

import org.jspecify.annotations.NullMarked;
