package dev.stint.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The embedded server's superuser, {@code postgres}, as stint signs in as it: over JDBC to
 * 127.0.0.1, with the password from its file ({@link EmbeddedPasswords}). Only to set the cluster
 * up: its roles and databases, and securing one made before it took passwords ({@link
 * LegacyCluster}); requests and migrations never run as it.
 */
final class Superuser {
  static final String NAME = "postgres";

  private final int port;
  private final String password;

  Superuser(int port, String password) {
    this.port = port;
    this.password = password;
  }

  String password() {
    return password;
  }

  /** A JDBC connection to {@code database} on this server as the superuser. */
  Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", NAME);
    props.setProperty("password", password);
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
  }
}
