package io.rvfeed.web;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The database cannot be reached (down, restarting, unreachable, every connection busy
 * for too long, or the connection was lost mid-request): 503 with {@code Retry-After}.
 * Retrying is safe: writes are idempotent, and one that was cut off at its commit was
 * either committed or not at all.
 */
public class DatabaseUnavailable extends ApiProblem {

	/** What clients are told to wait before retrying. */
	public static final int RETRY_AFTER_SECONDS = 5;

	static final String MESSAGE = ErrorMessages.DATABASE_UNAVAILABLE;

	/**
	 * PostgreSQL's states for a server that is shutting down, restarting or refusing
	 * connections; class 08 (connection exception) is matched as a whole.
	 */
	private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

	public DatabaseUnavailable() {
		super(HttpStatus.SERVICE_UNAVAILABLE, MESSAGE);
	}

	/** Writes the answer from a filter, {@code Retry-After} included. */
	public static void write(ApiErrorWriter errors, HttpServletResponse response) throws IOException {
		if (!response.isCommitted()) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
		}
		errors.write(response, new DatabaseUnavailable());
	}

	/**
	 * Whether the failure means the database could not be reached or the connection
	 * broke, rather than a statement it refused.
	 */
	public static boolean isCause(Throwable failure) {
		Throwable cause = failure;
		for (int depth = 0; cause != null && depth < 20; depth++, cause = cause.getCause()) {
			if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
					|| cause instanceof SQLRecoverableException || cause instanceof SocketException
					|| cause instanceof SocketTimeoutException || cause instanceof EOFException
					|| cause instanceof DataAccessResourceFailureException
					|| cause instanceof TransientDataAccessResourceException
					|| cause instanceof CannotCreateTransactionException) {
				return true;
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
				return true;
			}
			// a rollback that failed too, as it does on a broken connection, hides the
			// failure that caused it
			if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
					&& isCause(rollback.getApplicationException())) {
				return true;
			}
		}
		return false;
	}

}
