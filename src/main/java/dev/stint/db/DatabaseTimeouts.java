package dev.stint.db;

import java.time.Duration;

/**
 * How long stint waits on its database, for every connection it opens (the pool, the pipelined
 * connections, the audit writer's pool, the LISTEN connections). Set by {@code
 * database.statement_timeout}, {@code database.connect_timeout} and {@code database.tcp_keepalive}
 * (docs/configuration.md); {@link #DEFAULTS} are their defaults.
 *
 * @param statement how long a statement may go unanswered: its caller is then told the database is
 *     unavailable (503), and the connection it was sent on is discarded, failing every statement
 *     queued behind it there, since a connection that stopped answering is never handed out again.
 *     Getting a connection from a pool counts against it
 * @param connect how long opening a connection may take, the TCP connect and Postgres's handshake
 *     (TLS, authentication) together
 * @param keepalive how long a connection may sit idle before TCP keepalive probes start; probes
 *     then go every third of it, and three unanswered drop the connection (so a dead idle one is
 *     found within about twice this). The LISTEN connections also ask {@code SELECT 1} this often.
 */
public record DatabaseTimeouts(Duration statement, Duration connect, Duration keepalive) {
  public static final DatabaseTimeouts DEFAULTS =
      new DatabaseTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));

  public DatabaseTimeouts {
    requirePositive(statement, "statement");
    requirePositive(connect, "connect");
    if (keepalive.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("keepalive must be at least 1s");
    }
  }

  /** The same, with another statement deadline (a view of a pool for longer reads). */
  public DatabaseTimeouts withStatement(Duration newStatement) {
    return new DatabaseTimeouts(newStatement, connect, keepalive);
  }

  /** TCP keepalive: idle seconds before the first probe. */
  int keepaliveIdleSeconds() {
    return (int) Math.max(1, keepalive.toSeconds());
  }

  /** TCP keepalive: seconds between probes. */
  int keepaliveIntervalSeconds() {
    return Math.max(1, keepaliveIdleSeconds() / 3);
  }

  /** TCP keepalive: unanswered probes before the connection is dropped. */
  static final int KEEPALIVE_PROBES = 3;

  /**
   * How long sent data may go unacknowledged before the kernel drops the connection ({@code
   * TCP_USER_TIMEOUT}), where the transport can set it: as long as an idle connection's keepalive.
   */
  int tcpUserTimeoutMillis() {
    return (int)
        Math.min(
            Integer.MAX_VALUE,
            1000L * (keepaliveIdleSeconds() + KEEPALIVE_PROBES * keepaliveIntervalSeconds()));
  }

  private static void requirePositive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " timeout must be positive");
    }
  }
}
