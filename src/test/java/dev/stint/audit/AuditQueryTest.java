package dev.stint.audit;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.error.StintException;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Filters and keyset pagination over a fixed log written with a controlled clock. */
class AuditQueryTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static Vertx vertx;
  private static AuditReader reader;

  @BeforeAll
  static void writeLog() throws Exception {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    Database db = Database.connect(vertx, url, 2);
    reader = new AuditReader(db.pool());
    // Event i happens at T0 + i hours; alice does the even ones on aws-prod, bob the odd ones.
    for (int i = 0; i < 30; i++) {
      Clock at = Clock.fixed(T0.plus(Duration.ofHours(i)), ZoneOffset.UTC);
      GroupCommitAuditLog log =
          new GroupCommitAuditLog(vertx, db.pool(), at, new AuditConfig(Patience.AUDIT_COMMIT, 8));
      boolean alice = i % 2 == 0;
      await(
          log.append(
              AuditEvent.builder(i % 3 == 0 ? "credential.issued" : "request.created")
                  .actor("https://idp", alice ? "alice" : "bob", alice ? "alice@example.com" : null)
                  .profile(alice ? "aws-prod" : "gcp-dev")
                  .target("n" + i)
                  .build()));
    }
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  private static AuditQuery query(
      Instant since, Instant until, String actor, String profile, String type, int limit) {
    return new AuditQuery(
        Optional.ofNullable(since),
        Optional.ofNullable(until),
        Optional.ofNullable(actor),
        Optional.ofNullable(profile),
        Optional.ofNullable(type),
        Optional.empty(),
        limit);
  }

  private static List<String> targets(AuditQuery q) throws Exception {
    List<String> out = new ArrayList<>();
    AuditPage page = await(reader.query(q));
    out.addAll(page.events().stream().map(r -> r.event().target()).toList());
    while (page.nextCursor().isPresent()) {
      page = await(reader.query(q.withCursor(page.nextCursor().get())));
      out.addAll(page.events().stream().map(r -> r.event().target()).toList());
    }
    return out;
  }

  @Test
  void filtersCombine() throws Exception {
    assertThat(targets(query(null, null, "alice@example.com", null, "credential.issued", 100)))
        .containsExactly("n0", "n6", "n12", "n18", "n24");
    assertThat(targets(query(null, null, "bob", "gcp-dev", null, 100)))
        .hasSize(15)
        .allMatch(t -> Integer.parseInt(t.substring(1)) % 2 == 1);
    assertThat(
            targets(
                query(
                    T0.plus(Duration.ofHours(10)),
                    T0.plus(Duration.ofHours(13)),
                    null,
                    null,
                    null,
                    100)))
        .containsExactly("n10", "n11", "n12");
    assertThat(targets(query(null, null, "nobody", null, null, 100))).isEmpty();
  }

  /**
   * An actor is read as two pages (by subject, by email) merged: events that match by either, or by
   * both at once, come once each and in seq order, across page boundaries.
   */
  @Test
  void anActorMatchedBySubjectOrEmailIsPagedOnceInOrder() throws Exception {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    Database db = Database.connect(vertx, url, 2);
    AuditReader own = new AuditReader(db.pool());
    GroupCommitAuditLog log =
        new GroupCommitAuditLog(
            vertx,
            db.pool(),
            Clock.fixed(T0, ZoneOffset.UTC),
            new AuditConfig(Patience.AUDIT_COMMIT, 8));
    String carol = "carol@example.com";
    for (int i = 0; i < 9; i++) {
      String subject = i % 3 == 0 ? carol : i % 3 == 1 ? "c-1" : "someone-else";
      String email = i % 3 == 2 ? "dave@example.com" : carol;
      await(
          log.append(
              AuditEvent.builder("request.created")
                  .actor("https://idp", subject, email)
                  .target("n" + i)
                  .build()));
    }
    List<String> seen = new ArrayList<>();
    AuditQuery q = query(null, null, carol, null, null, 2);
    AuditPage page = await(own.query(q));
    seen.addAll(page.events().stream().map(r -> r.event().target()).toList());
    while (page.nextCursor().isPresent()) {
      page = await(own.query(q.withCursor(page.nextCursor().get())));
      seen.addAll(page.events().stream().map(r -> r.event().target()).toList());
    }
    assertThat(seen).containsExactly("n0", "n1", "n3", "n4", "n6", "n7");
    db.close();
  }

  @Test
  void cursorsWalkEveryEventOnceInOrder() throws Exception {
    AuditQuery q = query(null, null, null, null, null, 7);
    AuditPage first = await(reader.query(q));
    assertThat(first.events()).hasSize(7);
    assertThat(first.nextCursor()).isPresent();
    List<String> all = targets(q);
    assertThat(all).hasSize(30);
    for (int i = 0; i < 30; i++) {
      assertThat(all.get(i)).isEqualTo("n" + i);
    }
    // A page that ends exactly at the last event has no next cursor.
    assertThat(await(reader.query(query(null, null, null, null, null, 30))).nextCursor()).isEmpty();
  }

  @Test
  void badParametersAreInvalidRequests() {
    assertThatThrownBy(() -> query(null, null, null, null, null, 0))
        .isInstanceOf(StintException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> query(null, null, null, null, null, 1001))
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> AuditQuery.all().withCursor("not-a-cursor"))
        .hasMessage("cursor is not one this server handed out");
    assertThatThrownBy(() -> query(T0, T0.minusSeconds(1), null, null, null, 10))
        .hasMessage("until is before since");
  }
}
