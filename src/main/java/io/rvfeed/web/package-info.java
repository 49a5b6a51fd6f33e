/**
 * The shared bottom of the HTTP API, used by every feature and using none: the one error
 * body of every non-2xx answer ({@link io.rvfeed.web.ApiProblem}, the base of most
 * exception a client is told about, {@link io.rvfeed.web.InvalidRequest},
 * {@link io.rvfeed.web.ApiError} and {@link io.rvfeed.web.ApiErrorWriter} for filters),
 * Esper's request headers ({@link io.rvfeed.web.RequestHeaders}), strict JSON bodies
 * ({@link io.rvfeed.web.JsonBody}), RFC 3339 times ({@link io.rvfeed.web.Rfc3339}) and
 * the error messages several places share ({@link io.rvfeed.web.ErrorMessages}). Its
 * filters (request limits, the request log) and error handlers are its own.
 */
@NullMarked
package io.rvfeed.web;

import org.jspecify.annotations.NullMarked;
