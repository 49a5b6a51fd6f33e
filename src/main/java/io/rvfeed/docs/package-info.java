/**
 * The hand-maintained OpenAPI document at {@code /openapi.json} and
 * {@code /openapi.yaml}, and the browsable reference at {@code /docs}. Exposes nothing;
 * uses no other package.
 */
@NullMarked
package io.rvfeed.docs;

import org.jspecify.annotations.NullMarked;
