package io.rvfeed.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Boot's transaction manager, except for two things that matter while the database is
 * away:
 * <ul>
 * <li>It does not roll back on a connection already lost (the pool closed it when it saw
 * the connection fail). That rollback can only fail, and its failure would replace the
 * error that says what happened (a failed commit would become "rollback failed", a 500
 * instead of a 503). PostgreSQL rolls back an open transaction whose connection
 * ends.</li>
 * <li>It translates SQL errors by PostgreSQL's codes from the start, as jOOQ's
 * translation does, rather than looking the database's name up on a connection the first
 * time, which during an outage means waiting for one.</li>
 * </ul>
 */
class LostConnectionTransactionManager extends JdbcTransactionManager {

	LostConnectionTransactionManager(DataSource dataSource) {
		super(dataSource);
		setExceptionTranslator(new SQLErrorCodeSQLExceptionTranslator("PostgreSQL"));
	}

	@Override
	protected void doRollback(DefaultTransactionStatus status) {
		if (status.getTransaction() instanceof JdbcTransactionObjectSupport transaction
				&& transaction.hasConnectionHolder() && lost(transaction.getConnectionHolder().getConnection())) {
			return;
		}
		super.doRollback(status);
	}

	private static boolean lost(Connection connection) {
		try {
			return connection.isClosed();
		}
		catch (SQLException ex) {
			return true;
		}
	}

}
