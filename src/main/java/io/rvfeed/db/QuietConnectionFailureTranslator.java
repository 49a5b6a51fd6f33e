package io.rvfeed.db;

import java.sql.SQLException;

import org.jooq.ExecuteContext;

import org.springframework.boot.jooq.autoconfigure.ExceptionTranslatorExecuteListener;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

import io.rvfeed.web.DatabaseUnavailable;

/**
 * Boot's translation of jOOQ's SQL errors into Spring's, except that a lost or
 * unobtainable connection is translated without Boot's error log and stack trace (which
 * it writes for any error carrying a "next" exception, as the pool's timeout does):
 * during an outage that would be one per request. The outage is logged once by
 * {@link DatabaseAvailability}, each failed request in one line.
 */
class QuietConnectionFailureTranslator implements ExceptionTranslatorExecuteListener {

	private final SQLExceptionTranslator translator = new SQLErrorCodeSQLExceptionTranslator("PostgreSQL");

	@Override
	public void exception(ExecuteContext context) {
		SQLException failure = context.sqlException();
		if (failure != null && DatabaseUnavailable.isCause(failure)) {
			var translated = this.translator.translate("jOOQ", context.sql(), failure);
			if (translated != null) {
				context.exception(translated);
				return;
			}
		}
		ExceptionTranslatorExecuteListener.DEFAULT.exception(context);
	}

}
