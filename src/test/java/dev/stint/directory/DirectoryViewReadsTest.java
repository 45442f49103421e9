package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.identity.Directory.Standing;
import dev.stint.identity.Person;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A view's reads of the directory written straight into its tables, each test on a database of its
 * own: what the first read answers once {@link DirectoryView#start} completes, what closing it
 * ends, what a failed read keeps, and what is read when the LISTEN comes back.
 */
class DirectoryViewReadsTest {
  static final String ISSUER = "https://idp.reads.example";
  static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
  static final Instant LEFT_AT = Instant.parse("2026-11-20T17:30:00Z");

  final Vertx vertx = Vertx.vertx();
  final MutableClock clock = new MutableClock(T0);
  final AtomicReference<PgSubscriber> listen = new AtomicReference<>();
  DatabaseUrl url;
  Database db;
  DirectoryView view;

  @BeforeEach
  void open() {
    url = TestPostgres.migratedDatabase();
    db = Database.connect(vertx, url, 2);
    view =
        new DirectoryView(
            vertx,
            db.pool(),
            () -> {
              listen.set(db.subscriber());
              return listen.get();
            },
            () -> true,
            clock);
  }

  @AfterEach
  void close() throws Exception {
    AuditTables.await(view.close());
    db.close();
    AuditTables.await(vertx.close());
  }

  static Person person(String subject) {
    return new Person(ISSUER, subject, Optional.empty());
  }

  void user(String id, String subject, boolean active) throws Exception {
    AuditTables.execute(
        url,
        "INSERT INTO directory_users (id, user_name, active, attributes, issuer, subject,"
            + " created_at, updated_at, version) VALUES ('"
            + id
            + "', '"
            + id
            + "@reads.example', "
            + active
            + ", '{}', '"
            + ISSUER
            + "', '"
            + subject
            + "', now(), now(), 1)");
  }

  void member(String group, String userId) throws Exception {
    AuditTables.execute(
        url,
        "INSERT INTO directory_groups (id, display_name, attributes, created_at, updated_at,"
            + " version) VALUES ('"
            + group
            + "', '"
            + group
            + "', '{}', now(), now(), 1) ON CONFLICT DO NOTHING;"
            + " INSERT INTO directory_members (group_id, user_id) VALUES ('"
            + group
            + "', '"
            + userId
            + "')");
  }

  @Test
  void onceStartedTheViewAnswersWhatWasWrittenBeforeAndWhenItRead() throws Exception {
    user("u-ada", "ada", true);
    member("sre", "u-ada");
    user("u-ada-old", "ada", false);
    member("old-admins", "u-ada-old");
    user("u-lex", "lex", true);
    AuditTables.execute(
        url,
        "INSERT INTO directory_deprovisioned (issuer, subject, user_id, at, next_attempt_at)"
            + " VALUES ('"
            + ISSUER
            + "', 'lex', 'u-lex', '"
            + LEFT_AT
            + "', now())");
    assertThat(view.readAt()).isEqualTo(Instant.EPOCH);

    AuditTables.await(view.start());

    assertThat(view.readAt()).isEqualTo(T0);
    assertThat(view.standing(person("ada")))
        .as("an inactive user of the same person gives no groups")
        .isEqualTo(new Standing.Member(List.of("sre")));
    assertThat(view.standing(person("lex"))).isEqualTo(new Standing.Deprovisioned(LEFT_AT));
    assertThat(view.standing(person("nobody"))).isEqualTo(new Standing.Unknown());
  }

  @Test
  void closingEndsTheListenForAnnouncements() throws Exception {
    AuditTables.await(view.start());
    assertThat(listen.get().closed()).isFalse();

    AuditTables.await(view.close());

    assertThat(listen.get().closed()).isTrue();
  }

  @Test
  void closingAViewNeverStartedSucceeds() throws Exception {
    assertThat(AuditTables.await(view.close())).isNull();
    assertThat(listen.get()).as("no LISTEN was opened").isNull();
  }

  @Test
  void aReadThatFailsKeepsTheLastAnswerAndIsTriedAgainWithoutAnAnnouncement() throws Exception {
    user("u-mia", "mia", true);
    member("dev", "u-mia");
    AuditTables.await(view.start());
    assertThat(view.failures()).isZero();

    DatabaseUrl owner = TestPostgres.asOwner(url);
    AuditTables.execute(owner, "ALTER TABLE directory_deprovisioned RENAME TO marks_away");
    member("ops", "u-mia");
    Eventually.until("a read to fail", Duration.ofSeconds(10), () -> view.failures() > 0);
    assertThat(view.standing(person("mia")))
        .as("the answer before the failed read")
        .isEqualTo(new Standing.Member(List.of("dev")));
    Instant failedAt = view.readAt();

    clock.advance(Duration.ofMinutes(1));
    // Renaming announces nothing: only the view's own retry can read the change now.
    AuditTables.execute(owner, "ALTER TABLE marks_away RENAME TO directory_deprovisioned");
    Eventually.until(
        "the view to read again after the failure",
        Duration.ofSeconds(10),
        () -> view.readAt().isAfter(failedAt));
    assertThat(view.standing(person("mia"))).isEqualTo(new Standing.Member(List.of("dev", "ops")));
  }

  @Test
  void aChangeMadeWhileTheListenWasDownIsReadWhenItReconnects() throws Exception {
    user("u-noa", "noa", true);
    member("dev", "u-noa");
    AuditTables.await(view.start());

    // With a timeout, pg_terminate_backend returns once the backend is gone: the change below is
    // announced to nobody, since the view reconnects only after a pause.
    assertThat(
            AuditTables.strings(
                url,
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))"
                    + " FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND query ILIKE 'LISTEN%'"))
        .containsExactly("1");
    member("ops", "u-noa");

    Eventually.until(
        "the view to read the change once it listens again",
        Duration.ofSeconds(10),
        () -> view.standing(person("noa")).equals(new Standing.Member(List.of("dev", "ops"))));
    assertThat(view.failures()).isZero();
  }
}
