package dev.stint.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.TestPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Retention connects as the schema's owner over JDBC, whose waits are unbounded unless told
 * otherwise: a database that stops answering would hold retention, and the month making after it,
 * for ever.
 */
class OwnerConnectionTest {
  @Test
  void aDatabaseThatAcceptsButNeverAnswersIsGivenUpWithinTheTimeout() throws Exception {
    // Written by the acceptor while the test reads it: a list that iterates over a snapshot.
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      DatabaseUrl owner =
          DatabaseUrl.parse(
              "postgresql://stint_owner:pw@127.0.0.1:" + silent.getLocalPort() + "/stint");

      // Without the timeouts the connection waits for an answer that never comes: fail, not hang.
      assertTimeoutPreemptively(
          Duration.ofSeconds(15),
          () ->
              assertThatThrownBy(
                      () ->
                          AuditRetention.connect(
                                  owner, Duration.ofSeconds(1), Duration.ofSeconds(1))
                              .close())
                  .isInstanceOf(SQLException.class));

      assertThat(held).as("it did reach the silent server").isNotEmpty();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void theOwnersConnectionCarriesItsSilenceBound() throws Exception {
    DatabaseUrl owner = TestPostgres.asOwner(TestPostgres.migratedDatabase());
    try (Connection c =
        AuditRetention.connect(owner, Duration.ofSeconds(30), Duration.ofSeconds(7))) {
      assertThat(c.getNetworkTimeout()).isEqualTo(7_000);
      assertThat(c.isValid(5)).isTrue();
    }
  }
}
