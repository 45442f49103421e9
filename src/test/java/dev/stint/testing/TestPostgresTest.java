package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

  @Test
  void copiesGoThroughOneKeptSessionThatIsReplacedWhenItDies() throws Exception {
    TestPostgres.migratedDatabase();
    Connection kept = TestPostgres.admin();
    TestPostgres.migratedDatabase();
    assertThat(TestPostgres.admin()).isSameAs(kept);

    AuditTables.execute(
        TestPostgres.server().superuserUrl("postgres"),
        "SELECT pg_terminate_backend(" + backendPid(kept) + ", 5000)");

    assertThat(TestPostgres.migratedDatabase().database()).startsWith("t_");
    assertThat(TestPostgres.admin()).isNotSameAs(kept);
    assertThat(kept.isClosed()).isTrue();
  }

  private static String backendPid(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
      r.next();
      return r.getString(1);
    }
  }
}
