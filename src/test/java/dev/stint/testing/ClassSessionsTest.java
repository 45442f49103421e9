package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.config.DatabaseUrl;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ClassSessionsTest {
  private final DatabaseUrl url = TestPostgres.migratedDatabase();

  private String pid(DatabaseUrl on) throws SQLException {
    return AuditTables.strings(on, "SELECT pg_backend_pid()").get(0);
  }

  @Test
  void aClassDatabaseKeepsItsSessionAndNothingSetOnItOutlivesTheCall() throws Exception {
    String first = pid(url);
    AuditTables.execute(url, "SET statement_timeout = '1234ms'; SELECT pg_advisory_lock(7)");

    assertThat(pid(url)).isEqualTo(first);
    assertThat(AuditTables.strings(url, "SHOW statement_timeout")).containsExactly("0");
    assertThat(
            AuditTables.strings(
                TestPostgres.asSuperuser(url),
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database ="
                    + " (SELECT oid FROM pg_database WHERE datname = current_database())"))
        .containsExactly("0");
  }

  @Test
  void aSessionLeftInsideATransactionOrFailedIsClosedNotKept() throws Exception {
    String first = pid(url);
    AuditTables.execute(url, "BEGIN; SELECT 1");
    String second = pid(url);
    assertThat(second).isNotEqualTo(first);

    assertThatThrownBy(() -> AuditTables.execute(url, "SELECT no_such_column FROM audit_events"))
        .isInstanceOf(SQLException.class);
    assertThat(pid(url)).isNotEqualTo(second);
  }

  @Test
  void aKeptSessionSomeoneEndedIsReplaced() throws Exception {
    String first = pid(url);
    AuditTables.execute(
        TestPostgres.asSuperuser(url), "SELECT pg_terminate_backend(" + first + ", 5000)");

    assertThat(pid(url)).isNotEqualTo(first);
  }

  @Test
  void eachRoleKeepsItsOwnSessionAndADatabaseNotTheClasssGetsANewOneEachTime() throws Exception {
    DatabaseUrl owner = TestPostgres.asOwner(url);
    assertThat(AuditTables.strings(owner, "SELECT current_user")).containsExactly(owner.user());
    assertThat(pid(owner)).isEqualTo(pid(owner));

    DatabaseUrl postgres = TestPostgres.server().superuserUrl("postgres");
    assertThat(pid(postgres)).isNotEqualTo(pid(postgres));
  }
}
