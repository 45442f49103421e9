package dev.stint.audit;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Appends, reads back, verifies, and detects tampering done behind stint's back. */
class AuditChainTest {
  private DatabaseUrl url;
  private Vertx vertx;
  private Database db;
  private GroupCommitAuditLog log;
  private ChainVerifier verifier;

  @BeforeEach
  void setUp() {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    db = Database.connect(vertx, url, 4);
    log =
        new GroupCommitAuditLog(
            vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 256));
    verifier = new ChainVerifier(db.pool());
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  @Test
  void appendsCommitAChainThatVerifies() throws Exception {
    AuditEvent issued =
        AuditEvent.builder("credential.issued")
            .actor("https://idp.example", "alice", "alice@example.com")
            .requestId("req_1")
            .grantId("gr_1")
            .profile("aws-prod")
            .cloud("aws")
            .target("arn:aws:iam::111122223333:role/prod")
            .outcome("allowed")
            .reason("INC-1")
            .client("10.0.0.1", "stint-cli")
            .detail("access_key_id", "ASIAEXAMPLE")
            .detail("nested", Map.of("list", List.of(1, "two", true)))
            .build();
    AuditRecord first = await(log.append(issued));
    AuditRecord second = await(log.append(AuditEvent.builder("grant.revoked").build()));

    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.prevHash()).isEqualTo(ChainHash.GENESIS);
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    AuditRecord stored = await(new AuditReader(db.pool()).query(AuditQuery.all())).events().get(0);
    assertThat(stored).isEqualTo(first);
    assertThat(stored.event().details().get("nested"))
        .isEqualTo(Map.of("list", List.of(1L, "two", true)));

    ChainVerifier.Result result = await(verifier.verify());
    assertThat(result.ok()).isTrue();
    assertThat(result.count()).isEqualTo(2);
    assertThat(result.headSeq()).isEqualTo(2);
    assertThat(result.headHash()).isEqualTo(second.hash());
  }

  @Test
  void closeLetsQueuedAppendsCommitFirst() throws Exception {
    List<Future<AuditRecord>> queued = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      queued.add(log.append(AuditEvent.builder("request.created").build()));
    }
    Future<Void> closed = log.close();
    await(closed);
    await(log.close()); // again: harmless
    await(Future.all(queued));
    assertThat(AuditTables.count(url, "true")).isEqualTo(50);
  }

  @Test
  void anEmptyLogVerifies() throws Exception {
    ChainVerifier.Result result = await(verifier.verify());
    assertThat(result.ok()).isTrue();
    assertThat(result.count()).isZero();
  }

  @Test
  void theDatabaseRefusesUpdatesToHistory() throws Exception {
    await(log.append(AuditEvent.builder("grant.revoked").build()));
    // stint's runtime role has no right to; the schema's owner has, and the trigger stops it.
    Assertions.assertThatThrownBy(
            () -> AuditTables.execute(url, "UPDATE audit_events SET reason = 'x'"))
        .hasMessageContaining("permission denied");
    Assertions.assertThatThrownBy(
            () ->
                AuditTables.execute(
                    TestPostgres.server().ownerUrl(url.database()),
                    "UPDATE audit_events SET reason = 'x'"))
        .hasMessageContaining("append-only");
  }

  @Test
  void aChangedFieldIsNamedByItsSeq() throws Exception {
    appendMany(5);
    AuditTables.tamper(url, "UPDATE audit_events SET reason = 'nothing to see' WHERE seq = 3");
    ChainVerifier.Result result = await(verifier.verify());
    assertThat(result.ok()).isFalse();
    assertThat(result.brokenSeq()).contains(3L);
    assertThat(result.count()).isEqualTo(2);
    assertThat(result.problem().orElseThrow()).startsWith("hash mismatch");
  }

  @Test
  void aRewrittenHashBreaksTheNextLink() throws Exception {
    appendMany(4);
    // A careful attacker recomputes the row's own hash; the next row still names the old one.
    AuditRecord r3 = await(new AuditReader(db.pool()).after(2, 1)).get(0);
    AuditEvent forged = AuditEvent.builder(r3.event().type()).reason("forged").build();
    String newHash = ChainHash.hash(3, r3.eventId(), r3.occurredAt(), forged, r3.prevHash());
    AuditTables.tamper(
        url,
        "UPDATE audit_events SET reason = 'forged', target = NULL,"
            + " details = '{}', hash = '"
            + newHash
            + "' WHERE seq = 3");
    ChainVerifier.Result result = await(verifier.verify());
    assertThat(result.brokenSeq()).contains(4L);
    assertThat(result.problem().orElseThrow()).startsWith("prev_hash mismatch");
  }

  @Test
  void aDeletedRowIsAGap() throws Exception {
    appendMany(4);
    AuditTables.tamper(url, "DELETE FROM audit_events WHERE seq = 2");
    ChainVerifier.Result result = await(verifier.verify());
    assertThat(result.brokenSeq()).contains(2L);
    assertThat(result.problem().orElseThrow()).startsWith("gap");
  }

  @Test
  void detailsNoLongerCanonicalAreABreakNotACrash() throws Exception {
    appendMany(2);
    AuditTables.tamper(url, "UPDATE audit_events SET details = '{\"f\": 1.5}' WHERE seq = 2");
    ChainVerifier.Result result = await(verifier.verify());
    assertThat(result.brokenSeq()).contains(2L);
    assertThat(result.problem().orElseThrow()).startsWith("content cannot be canonicalized");
  }

  @Test
  void verifyPagesThroughLongChains() throws Exception {
    appendMany(ChainVerifier.PAGE * 2 + 5);
    AuditTables.tamper(
        url, "UPDATE audit_events SET outcome = 'x' WHERE seq = " + (ChainVerifier.PAGE + 7));
    ChainVerifier.Result result = await(verifier.verify());
    assertThat(result.brokenSeq()).contains((long) ChainVerifier.PAGE + 7);
  }

  private void appendMany(int n) throws Exception {
    List<Future<AuditRecord>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(
          log.append(
              AuditEvent.builder("request.created")
                  .target("t" + i)
                  .reason("INC-" + i)
                  .detail("i", i)
                  .build()));
    }
    await(Future.all(all));
  }
}
