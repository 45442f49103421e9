package dev.stint.activity;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditRecord;
import dev.stint.audit.EventRows;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.ledger.Ledger;
import dev.stint.mint.ActivityLookup;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.ShiftedClock;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The grant's usage row (V38) and the rounds under concurrency: grant.activity once per grant
 * across replicas, the usage row off the issuance path's critical section (its counts change by
 * appended tallies), and the tallies folded in without changing what the report says.
 */
class GrantUsageRacesTest {
  private final ShiftedClock clock = new ShiftedClock();
  private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private DatabaseUrl url;
  private Vertx vertx;

  @BeforeEach
  void setUp() throws Exception {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private ActivityRounds replica(
      Map<String, ActivityLookup> clouds, java.util.function.Function<AuditLog, AuditLog> wrap) {
    Pool pool = Database.connect(vertx, url, 4).pool();
    AuditLog audit =
        wrap.apply(
            new GroupCommitAuditLog(
                vertx, pool, clock, new AuditConfig(Patience.AUDIT_COMMIT, 64)));
    GrantActivity view = new GrantActivity(pool, new Ledger(pool), Visibility.Push.OFF);
    RoleWatch roles = new RoleWatch(view, Set::of, audit, (role, caller, details) -> {}, clock);
    return new ActivityRounds(
        vertx,
        view,
        clouds,
        new ActivityRounds.Settings(Duration.ofMinutes(5), Duration.ofMinutes(15)),
        new ActivityRounds.Needs(
            requestId -> end(pool, requestId),
            audit,
            roles,
            new ActivityAnomalies(view, audit, (e, d) -> {}, clock)),
        clock);
  }

  private static Future<Optional<Instant>> end(Pool pool, String requestId) {
    return pool.preparedQuery(
            "SELECT LEAST(ends_at, COALESCE(revoked_at, ends_at)) AS ended FROM grants"
                + " WHERE request_id = $1")
        .execute(Tuple.of(requestId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getOffsetDateTime("ended").toInstant()));
  }

  private void approved(String id, int minutes) throws Exception {
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "INSERT INTO access_requests (id, profile, requester_issuer, requester_subject,"
            + " requester_email, reason, duration_seconds, break_glass, approvals_required, state,"
            + " created_at, updated_at, version) VALUES ('"
            + id
            + "', 'prod', 'https://idp.example', 'alice', 'alice@example.com', 'INC-1', "
            + minutes * 60
            + ", false, 0, 'approved', "
            + at(start)
            + ", "
            + at(start)
            + ", 1); INSERT INTO grants (id, request_id, profile, principal_issuer,"
            + " principal_subject, starts_at, ends_at, break_glass, created_at) VALUES ('grt_"
            + id
            + "', '"
            + id
            + "', 'prod', 'https://idp.example', 'alice', "
            + at(start)
            + ", "
            + at(start.plus(Duration.ofMinutes(minutes)))
            + ", false, "
            + at(start)
            + ")");
  }

  private static String credential(String id, String requestId, String key, Instant start) {
    return "INSERT INTO credentials (id, event_id, grant_id, request_id, holder_issuer,"
        + " holder_subject, profile, cloud, target, access_key_id, revocable, issued_at,"
        + " expires_at) VALUES ('"
        + id
        + "', gen_random_uuid(), 'grt_"
        + requestId
        + "', '"
        + requestId
        + "', 'https://idp.example', 'alice', 'prod', 'aws', 'arn:aws:iam::111122223333:role/p',"
        + " '"
        + key
        + "', true, "
        + at(start)
        + ", "
        + at(start.plus(Duration.ofMinutes(30)))
        + ")";
  }

  private static String at(Instant i) {
    return "timestamptz '" + OffsetDateTime.ofInstant(i, ZoneOffset.UTC) + "'";
  }

  /**
   * A round claims the summaries due with a lease dated from the round's start ({@code now} taken
   * before the lookups), after it has looked up its batch one call after another, each waiting for
   * a shared CloudTrail turn (up to {@link SharedCallSlots#MAX_WAIT} each, per credential and
   * region). A round slower than {@link ActivityRounds#LEASE} hands out a lease that has already
   * lapsed: another replica claims the same request while the first is recording it, both find no
   * grant.activity in the audit, and both write one. Here the slow lookups are one lookup that
   * takes six minutes (the clock moves while it runs); the other replica's round runs while the
   * first is about to append.
   */
  @Test
  void aRoundSlowerThanItsLeaseDoesNotRecordGrantActivityTwice() throws Exception {
    approved("req_ci", 30);
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        credential("crd_ci_1", "req_ci", "ASIACI00000000000001", start));
    approved("req_quiet", 30);
    clock.advance(Duration.ofMinutes(31));

    ActivityLookup slow =
        new ActivityLookup() {
          private final AtomicBoolean once = new AtomicBoolean();

          @Override
          public List<String> places() {
            return List.of("us-east-1");
          }

          @Override
          public CompletableFuture<Page> lookup(Query query) {
            if (once.compareAndSet(false, true)) {
              clock.advance(Duration.ofMinutes(6)); // paced turns for a batch of credentials
            }
            return CompletableFuture.completedFuture(new Page(List.of(), Optional.empty()));
          }
        };
    ActivityRounds other = replica(Map.of(), a -> a);
    AtomicBoolean interleaved = new AtomicBoolean();
    ActivityRounds first =
        replica(
            Map.of("aws", slow),
            audit ->
                new AuditLog() {
                  @Override
                  public Future<AuditRecord> append(AuditEvent event) {
                    if (interleaved.compareAndSet(false, true)) {
                      // the other replica's round, while this one is about to append
                      return other.round().compose(n -> audit.append(event));
                    }
                    return audit.append(event);
                  }

                  @Override
                  public Future<AuditRecord> append(AuditEvent event, EventRows.Row<?> credential) {
                    return audit.append(event, credential);
                  }
                });

    await(first.round());
    assertThat(interleaved).isTrue();
    assertThat(AuditTables.count(url, "type = 'grant.activity' AND request_id = 'req_quiet'"))
        .as("grant.activity for one grant, once")
        .isEqualTo(1);
  }

  /**
   * Every credential handed out now updates its grant's usage row twice (the ledger's row, then the
   * lookup's) inside the audit batch's transaction, the one every issuance and every audit record
   * of every replica waits on (its advisory lock). Any other transaction holding that row (the
   * rounds settling a lookup of the same grant, a batch of calls kept for it) now holds up the
   * whole audit chain: a CI grant minting all day contends on one row with its own lookups.
   */
  @Test
  void aLookupSettlingOnAGrantDoesNotHoldUpIssuanceOnIt() throws Exception {
    approved("req_ci_hot", 600);
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        credential("crd_hot_1", "req_ci_hot", "ASIAHOT0000000000001", start));
    DatabaseUrl su = TestPostgres.asSuperuser(url);
    try (Connection rounds = AuditTables.connect(su);
        Connection issuance = AuditTables.connect(su)) {
      rounds.setAutoCommit(false);
      try (Statement s = rounds.createStatement()) {
        // the rounds' checked(): a credential's last lookup
        s.execute(
            "UPDATE activity_lookups SET settled_at = now() WHERE credential_id = 'crd_hot_1'");
      }
      issuance.setAutoCommit(false);
      try (Statement s = issuance.createStatement()) {
        s.execute("SET LOCAL lock_timeout = '1s'");
        assertThatCode(
                () ->
                    s.execute(credential("crd_hot_2", "req_ci_hot", "ASIAHOT0000000000002", start)))
            .as("the audit batch's ledger insert for another credential of the grant")
            .doesNotThrowAnyException();
      } finally {
        issuance.rollback();
        rounds.rollback();
      }
    }
  }

  /**
   * A credential minted and then withheld (never handed out) leaves the grant's credentials count,
   * but its lookup row stays: the report then says the grant handed out no credential of which one
   * could be looked up (looked_up 1, credentials 0), and grant.activity says issued 0, looked_up 1.
   * looked_up is documented as those of the credentials the logs can be asked about.
   */
  @Test
  void aWithheldCredentialIsNotCountedAsLookedUp() throws Exception {
    approved("req_withheld", 30);
    DatabaseUrl su = TestPostgres.asSuperuser(url);
    AuditTables.execute(su, credential("crd_w_1", "req_withheld", "ASIAWITHHELD00000001", start));
    AuditTables.execute(
        su, "UPDATE credentials SET state = 'withheld', ended_at = now() WHERE id = 'crd_w_1'");
    clock.advance(Duration.ofMinutes(31));
    List<UnusedGrants.Grant> grants =
        await(
                new UnusedGrants(Database.connect(vertx, url, 1).pool(), Visibility.Push.OFF)
                    .since(start, clock.instant()))
            .grants();
    assertThat(grants)
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.credentials()).isZero();
              assertThat(g.lookedUp())
                  .as("looked_up counts a credential never handed out")
                  .isZero();
            });
  }

  /**
   * A leaver's deprovisioning revokes their grants one after another in ONE transaction and appends
   * each change's audit event (waiting for the audit batch to commit) after persisting the previous
   * revocation (Leavers.endEach: audit.leaving, then store.persist; then ExtensionLeavers appends
   * again on the same transaction). Since V38 the revocation's UPDATE of grants also locks the
   * grant's grant_usage row until that transaction commits, and the audit batch's ledger insert of
   * a credential on that grant (an issuance racing the revocation) needs the same row: the batch
   * waits on the leaver's transaction, which waits on the batch, a cycle Postgres cannot see (one
   * side waits in the application), broken only by the batch's statement_timeout, which fails every
   * event of the batch, across replicas. Before V38 the two did not conflict (the insert's foreign
   * key takes KEY SHARE on grants, which a non-key UPDATE does not block).
   */
  @Test
  void aRevocationNotYetCommittedDoesNotHoldUpTheAuditBatchsLedgerInsert() throws Exception {
    approved("req_leaver", 600);
    DatabaseUrl su = TestPostgres.asSuperuser(url);
    try (Connection leaver = AuditTables.connect(su);
        Connection batch = AuditTables.connect(su)) {
      leaver.setAutoCommit(false);
      try (Statement s = leaver.createStatement()) {
        s.execute(
            "UPDATE grants SET revoked_at = now(), revoked_by = 'stint' WHERE id = 'grt_req_leaver'");
      }
      batch.setAutoCommit(false);
      try (Statement s = batch.createStatement()) {
        s.execute("SET LOCAL lock_timeout = '1s'");
        assertThatCode(
                () ->
                    s.execute(
                        credential("crd_leaver_1", "req_leaver", "ASIALEAVER0000000001", start)))
            .as("the audit batch's ledger insert while the leaver's transaction is open")
            .doesNotThrowAnyException();
      } finally {
        batch.rollback();
        leaver.rollback();
      }
    }
  }

  @Test
  void foldingTheTalliesInLeavesTheReportAsItWas() throws Exception {
    approved("req_fold", 30);
    DatabaseUrl su = TestPostgres.asSuperuser(url);
    AuditTables.execute(su, credential("crd_f_1", "req_fold", "ASIAFOLD000000000001", start));
    AuditTables.execute(su, credential("crd_f_2", "req_fold", "ASIAFOLD000000000002", start));
    AuditTables.execute(
        su, "UPDATE activity_lookups SET settled_at = now() WHERE credential_id = 'crd_f_1'");
    clock.advance(Duration.ofMinutes(31));
    Pool pool = Database.connect(vertx, url, 2).pool();
    UnusedGrants report = new UnusedGrants(pool, Visibility.Push.OFF);

    UnusedGrants.Grant before = await(report.since(start, clock.instant())).grants().get(0);
    int folded =
        await(
            new GrantActivity(pool, new Ledger(pool), Visibility.Push.OFF)
                .usage()
                .fold(ActivityRounds.FOLD));
    UnusedGrants.Grant after = await(report.since(start, clock.instant())).grants().get(0);

    assertThat(folded).as("one usage row took the tallies").isEqualTo(1);
    assertThat(AuditTables.strings(su, "SELECT count(*)::text FROM grant_usage_tally"))
        .containsExactly("0");
    assertThat(List.of(after.credentials(), after.lookedUp())).containsExactly(2L, 2L);
    assertThat(after.settled()).as("one lookup still awaits its last").isFalse();
    assertThat(after).isEqualTo(before);
  }
}
