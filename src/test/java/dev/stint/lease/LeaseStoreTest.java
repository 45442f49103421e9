package dev.stint.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.common.FilledDocument;
import dev.stint.common.Ids;
import dev.stint.common.ParameterValues;
import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.identity.Person;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The leases table on a real Postgres: a lease leaves active once, and only by its own write. */
class LeaseStoreTest {
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  static final Person ALICE = new Person("https://idp.example", "alice", Optional.empty());
  static final Person BOB = new Person("https://idp.example", "bob", Optional.empty());
  static Vertx vertx;
  static DatabaseUrl url;
  static Database db;
  static LeaseStore store;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    url = TestPostgres.migratedDatabase();
    db = Database.connect(vertx, url, 2);
    store = new LeaseStore(db.pool());
    for (String id : new String[] {"req_a", "req_b"}) {
      AuditTables.execute(
          TestPostgres.asSuperuser(url),
          "INSERT INTO access_requests (id, profile, requester_issuer, requester_subject,"
              + " reason, duration_seconds, break_glass, approvals_required, state, created_at,"
              + " updated_at, version) VALUES ('"
              + id
              + "', 'prod', 'https://idp.example', 'alice', 'INC-1', 3600, false, 0, 'approved',"
              + " '2026-11-27T10:00:00Z', '2026-11-27T10:00:00Z', 1); INSERT INTO grants (id,"
              + " request_id, profile, principal_issuer, principal_subject, starts_at, ends_at,"
              + " break_glass, created_at) VALUES ('grt_"
              + id
              + "', '"
              + id
              + "', 'prod', 'https://idp.example', 'alice', '2026-11-27T10:00:00Z',"
              + " '2026-11-27T11:00:00Z', false, '2026-11-27T10:00:00Z')");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  static Lease lease(String id, String request, Optional<Person> agent) {
    return new Lease(
        id,
        request,
        "grt_" + request,
        "s3-logs",
        ALICE,
        "list the report bucket",
        new Lease.Window(T0, T0.plus(Duration.ofMinutes(30))),
        Lease.State.ACTIVE,
        new Lease.Narrowing(
            ParameterValues.of(Map.of("bucket", "team-logs")),
            Optional.of(new FilledDocument("[{\"Effect\":\"Allow\"}]"))),
        agent,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void aLeaseIsFoundByIdAndByItsTokensHashOnly() throws Exception {
    Lease stored = lease("lse_one", "req_a", Optional.empty());
    String token = new LeaseTokens().issue(new Ids().lease());
    AuditTables.await(LeaseStore.insert(db.pool(), stored, Optional.of(LeaseTokens.hash(token))));

    assertThat(AuditTables.await(store.find("lse_one"))).contains(stored);
    assertThat(AuditTables.await(store.byToken(LeaseTokens.hash(token)))).contains(stored);
    assertThat(AuditTables.await(store.byToken(token))).isEmpty();
    assertThat(
            AuditTables.strings(
                url, "SELECT count(*) FROM leases WHERE token_sha256 = '" + token + "'"))
        .containsExactly("0");
    assertThat(AuditTables.strings(url, "SELECT policy_sha256 FROM leases WHERE id = 'lse_one'"))
        .containsExactly(stored.narrowing().policy().orElseThrow().sha256());
  }

  @Test
  void aLeaseHasATokenOrAnAgentNeverBothNorNeither() {
    Lease agentless = lease("lse_none", "req_a", Optional.empty());
    Lease withAgent = lease("lse_both", "req_a", Optional.of(BOB));

    assertThatThrownBy(
            () -> AuditTables.await(LeaseStore.insert(db.pool(), agentless, Optional.empty())))
        .hasMessageContaining("check constraint");
    assertThatThrownBy(
            () -> AuditTables.await(LeaseStore.insert(db.pool(), withAgent, Optional.of("x"))))
        .hasMessageContaining("check constraint");
  }

  @Test
  void aRevokedLeaseStaysRevokedAndItsGrantsEndDoesNotTouchIt() throws Exception {
    AuditTables.await(
        LeaseStore.insert(
            db.pool(), lease("lse_rev", "req_b", Optional.of(BOB)), Optional.empty()));
    AuditTables.await(
        LeaseStore.insert(
            db.pool(), lease("lse_live", "req_b", Optional.of(BOB)), Optional.empty()));
    Instant at = T0.plus(Duration.ofMinutes(5));

    Optional<Lease> revoked = AuditTables.await(LeaseStore.revoke(db.pool(), "lse_rev", BOB, at));
    Optional<Lease> again =
        AuditTables.await(LeaseStore.revoke(db.pool(), "lse_rev", ALICE, at.plusSeconds(1)));

    assertThat(revoked.map(Lease::state)).contains(Lease.State.REVOKED);
    assertThat(revoked.flatMap(Lease::end)).contains(new Lease.End(BOB, at));
    assertThat(again).isEmpty();
    assertThat(
            AuditTables.await(
                db.pool().<Integer>withTransaction(c -> LeaseStore.liveOf(c, "grt_req_b", at))))
        .isEqualTo(1);
    assertThat(
            AuditTables.await(
                db.pool()
                    .<List<Lease>>withTransaction(
                        c -> LeaseStore.endWithGrant(c, "grt_req_b", ALICE, at))))
        .extracting(Lease::id)
        .containsExactly("lse_live");
    assertThat(AuditTables.await(store.find("lse_rev")).map(Lease::state))
        .contains(Lease.State.REVOKED);
    // Created at the same time: in id order.
    assertThat(AuditTables.await(store.ofRequest("req_b")))
        .extracting(Lease::id, Lease::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("lse_live", Lease.State.ENDED),
            org.assertj.core.groups.Tuple.tuple("lse_rev", Lease.State.REVOKED));
    assertThat(
            AuditTables.await(
                db.pool().<Integer>withTransaction(c -> LeaseStore.liveOf(c, "grt_req_b", at))))
        .isZero();
  }

  @Test
  void aLeaseIsLiveOnlyWhileActiveAndBeforeItsEnd() {
    Lease live = lease("lse_x", "req_a", Optional.of(BOB));

    assertThat(live.liveAt(T0.plusSeconds(60))).isTrue();
    assertThat(live.liveAt(T0.plus(Duration.ofMinutes(30)))).isFalse();
    assertThatThrownBy(() -> new Lease.Window(T0, T0))
        .hasMessage("a lease ends after it is created");
  }
}
