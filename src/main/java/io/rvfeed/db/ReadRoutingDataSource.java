package io.rvfeed.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * The read connections: from the replica when {@link ReplicaMonitor} allows it for this
 * thread's consistency token, else from the primary's pool.
 */
final class ReadRoutingDataSource extends AbstractDataSource {

	private final ReplicaMonitor replica;

	private final DataSource primary;

	ReadRoutingDataSource(ReplicaMonitor replica, DataSource primary) {
		this.replica = replica;
		this.primary = primary;
	}

	@Override
	public Connection getConnection() throws SQLException {
		Connection connection = this.replica.connection(ReadDatabase.currentToken());
		return (connection != null) ? connection : this.primary.getConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLException("Read connections use the configured logins");
	}

}
