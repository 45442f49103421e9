package dev.stint.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rounds each role's password is hashed with: Postgres's own for the server's cluster, few only
 * for a test's throwaway one, which still lets nobody in without the password.
 */
class ScramRoundsTest {
  private static final String POSTGRES_DEFAULT_ROUNDS = "4096";

  @Test
  void theServersClusterHashesEveryPasswordWithPostgresDefaultRounds(@TempDir Path dir)
      throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, EmbeddedDatabase.Use.DURABLE)) {
      assertThat(rounds(db.superuserUrl("postgres")))
          .containsOnly(POSTGRES_DEFAULT_ROUNDS)
          .hasSize(3);
    }
  }

  @Test
  void aThrowawayClusterHashesWithFewRoundsAndStillRefusesAWrongPassword() throws Exception {
    EmbeddedDatabase db = TestPostgres.server();
    assertThat(rounds(db.superuserUrl("postgres")))
        .containsOnly(String.valueOf(EmbeddedDatabase.THROWAWAY_SCRAM_ROUNDS))
        .hasSize(3);
    DatabaseUrl stint = db.url();
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + stint.port() + "/postgres",
                        stint.user(),
                        "guess")
                    .close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
  }

  /** The rounds of the superuser's, the owner's and stint's SCRAM verifiers. */
  private static List<String> rounds(DatabaseUrl superuser) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + superuser.port() + "/postgres",
                superuser.user(),
                superuser.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT rolpassword FROM pg_authid WHERE rolname IN ('postgres', '"
                    + EmbeddedDatabase.OWNER
                    + "', '"
                    + EmbeddedDatabase.ROLE
                    + "')")) {
      while (rs.next()) {
        String verifier = rs.getString(1);
        assertThat(verifier).startsWith("SCRAM-SHA-256$");
        out.add(verifier.substring("SCRAM-SHA-256$".length(), verifier.indexOf(':')));
      }
    }
    return out;
  }
}
