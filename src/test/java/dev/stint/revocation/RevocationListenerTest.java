package dev.stint.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.Cloud;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.ledger.LedgerEntry;
import dev.stint.ledger.LedgerRows;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.Credential;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintOrder;
import dev.stint.mint.Minters;
import dev.stint.mint.Receipt;
import dev.stint.mint.SessionRevoker;
import dev.stint.outbox.DurableListener.Delivery;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A revocation's delivery against the real migrations and ledger: it ends what the ledger says the
 * grant was issued, and first marks the grant's sessions revoked, so that a credential committed in
 * a race with the revoke (after the revoke marked what it could see) is in the role's deny too.
 */
class RevocationListenerTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/prod";
  static final String GRANT = "grt_racerace";
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final List<String> deniedGrants = new CopyOnWriteArrayList<>();
  private DatabaseUrl url;
  private Vertx vertx;
  private GroupCommitAuditLog audit;
  private RevocationListener listener;

  /**
   * AWS as far as a revocation sees it: what it would deny on a role, rendered from the records.
   */
  private final SessionRevoker revoker =
      (target, grantId, records) ->
          records
              .revokedOn(target, Instant.now())
              .map(
                  revoked -> {
                    revoked.forEach(r -> deniedGrants.add(r.grantId()));
                    return new SessionRevoker.Ended(target, Optional.empty());
                  });

  private final CloudMinter<AwsTarget, Credential> aws =
      new CloudMinter<AwsTarget, Credential>() {
        @Override
        public Cloud<AwsTarget> cloud() {
          return Cloud.AWS;
        }

        @Override
        public Lifetimes.CloudLimits limits() {
          throw new UnsupportedOperationException("a revocation mints nothing");
        }

        @Override
        public CompletableFuture<Credential> mint(AwsTarget target, MintOrder order) {
          throw new UnsupportedOperationException("a revocation mints nothing");
        }

        @Override
        public Optional<SessionRevoker> revoker() {
          return Optional.of(revoker);
        }
      };

  @BeforeEach
  void setUp() {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    Database db = Database.connect(vertx, url, 4);
    audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
    listener =
        new RevocationListener(
            db.pool(),
            new Minters(List.of(aws)),
            new Reporting(
                audit,
                d -> {},
                new Reporting.Alarm() {
                  @Override
                  public void revocationFailed(String grantId, String requestId, String why) {}

                  @Override
                  public void revocationWidened(String grantId, String target, long others) {}
                },
                (grants, target) -> Future.succeededFuture()),
            Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    AuditTables.await(vertx.close());
  }

  /** A credential of the grant in the ledger, live: committed after the revoke marked the rest. */
  private void issuedInTheRace(String credentialId) throws Exception {
    LedgerEntry entry =
        new LedgerEntry(
            credentialId,
            LedgerEntry.Basis.grant(GRANT, "req_race", Optional.empty()),
            new LedgerEntry.Holder("https://idp.example", "alice"),
            "prod",
            Receipt.awsSession(
                ROLE,
                "ASIARACE" + credentialId.substring(4),
                "alice",
                "0123456789abcdef." + GRANT,
                now.plusSeconds(900)));
    AuditTables.await(
        audit.append(
            AuditEvent.builder("credential.issued")
                .grantId(GRANT)
                .requestId("req_race")
                .detail("credential_id", credentialId)
                .build(),
            LedgerRows.issued(entry)));
  }

  private Change revoked() {
    Grant grant =
        new Grant(
            GRANT,
            "req_race",
            "prod",
            Requests.ALICE,
            now.minusSeconds(60),
            now.plusSeconds(3600),
            false,
            Optional.empty(),
            Optional.empty(),
            Narrowed.NONE);
    return new Change(
        "grant.revoked",
        Requests.approved("req_race").profile("prod").grant(grant).build(),
        Requests.ALICE,
        Optional.empty(),
        now);
  }

  @Test
  void aSessionIssuedInARaceWithTheRevokeIsMarkedRevokedAndDenied() throws Exception {
    issuedInTheRace("crd_race1");

    AuditTables.await(listener.deliver(revoked(), new Delivery(1, 1)));

    assertThat(AuditTables.strings(url, "SELECT state FROM credentials WHERE id = 'crd_race1'"))
        .as("the delivery marks the grant's sessions revoked")
        .containsExactly("revoked");
    assertThat(deniedGrants).as("and so the role's deny names the grant").contains(GRANT);
    assertThat(
            AuditTables.strings(
                url,
                "SELECT details->>'live_credentials' FROM audit_events"
                    + " WHERE type = 'grant.revocation_applied'"))
        .containsExactly("denied");
  }

  @Test
  void aGrantWithNothingLiveWritesNothingToAnyCloud() throws Exception {
    AuditTables.await(listener.deliver(revoked(), new Delivery(1, 1)));

    assertThat(deniedGrants).isEmpty();
    assertThat(
            AuditTables.strings(
                url,
                "SELECT details->>'live_credentials' FROM audit_events"
                    + " WHERE type = 'grant.revocation_applied'"))
        .containsExactly("none");
  }
}
