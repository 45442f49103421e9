package dev.stint.finding;

import static dev.stint.testing.AuditTables.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.activity.ActivityAnomalies;
import dev.stint.activity.ActivityIngest;
import dev.stint.activity.GrantActivity;
import dev.stint.activity.RoleWatch;
import dev.stint.activity.Visibility;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.finding.rules.FindingFixtures;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerEntry;
import dev.stint.ledger.LedgerRows;
import dev.stint.mint.Receipt;
import dev.stint.mint.aws.CloudTrailRecords;
import dev.stint.outbox.DurableListener;
import dev.stint.outbox.Outbox;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.PolicyFixtures;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Findings against the real migrations, ledger, ingest and audit log: Alice's grant {@code grt_1}
 * of request {@code req_1} on profile {@code prod}, a session of the grant's own and one of her
 * lease {@code lse_1}, each in the ledger; calls pushed through the real ingest (whose keep queues
 * them, V50), judged by {@link Judging} under a policy a test sets, and what follows delivered by
 * {@link FindingActs} with a {@link FindingEnds} that records what it was asked.
 */
final class FindingRig implements AutoCloseable {
  static final String TOKEN = "findings-ingest-token-0123456789abcdef";
  static final String ROLE = "arn:aws:iam::111122223333:role/prod";
  static final String ISSUER = "https://idp.example";
  static final String GRANT_KEY = "ASIAGRANTSESSION0001";
  static final String LEASE_KEY = "ASIALEASESESSION0001";
  static final String LEASE = "lse_abcdefghijklmnopqrstuvwx";

  final DatabaseUrl url = TestPostgres.migratedDatabase();
  final Vertx vertx = Vertx.vertx();
  final Database db = Database.connect(vertx, url, 4);
  final GroupCommitAuditLog audit =
      new GroupCommitAuditLog(
          vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
  final PolicyInForce policies = new PolicyInForce(policy(""));
  final Outbox<FindingChange> outbox = new Outbox<>(db.pool());
  final List<String> ended = new CopyOnWriteArrayList<>();
  final GrantActivity activity =
      new GrantActivity(db.pool(), new Ledger(db.pool()), Visibility.Push.ON);
  final ActivityIngest ingest;
  final FindingActs acts;
  final Judging judging;

  FindingRig() throws Exception {
    RoleWatch roles =
        new RoleWatch(activity, () -> Set.of(ROLE), audit, (r, c, d) -> {}, Clock.systemUTC());
    ingest =
        new ActivityIngest(
            activity,
            new ActivityIngest.Reading(TOKEN, CloudTrailRecords::delivered),
            new ActivityIngest.Watch(
                roles, new ActivityAnomalies(activity, audit, (e, d) -> {}, Clock.systemUTC())),
            Clock.systemUTC());
    acts =
        new FindingActs(
            db.pool(),
            new FindingAudit(audit),
            recordingEnds(),
            () -> List.of(),
            Clock.systemUTC());
    outbox.register(acts);
    judging = new Judging(db.pool(), policies, outbox, Clock.systemUTC());
    grantAndLease();
    session("crd_grant", LedgerEntry.Basis.grant("grt_1", "req_1", Optional.empty()), GRANT_KEY);
    session("crd_lease", LedgerEntry.Basis.lease("grt_1", "req_1", LEASE), LEASE_KEY);
  }

  /** A policy with profile {@code prod} whose findings block is {@code findings} (YAML). */
  static Policy policy(String findings) {
    return PolicyFixtures.load(
        "profiles:\n  prod:\n    aws: {role_arn: '"
            + ROLE
            + "'}\n    max_duration: 1h\n    requesters: 'true'\n"
            + "    approval: {count: 1, approvers: 'true'}\n"
            + (findings.isEmpty() ? "" : "findings: " + findings + "\n"));
  }

  /** Pushes the fixture {@code rule}'s first firing case, made with {@code key}, at {@code at}. */
  ActivityIngest.Outcome push(String rule, String key, Instant at) throws Exception {
    ObjectNode record = (ObjectNode) FindingFixtures.of(rule).fires().get(0).record().deepCopy();
    ((ObjectNode) record.path("userIdentity")).put("accessKeyId", key);
    // The session's source identity, as CloudTrail records it with each of its calls.
    ((ObjectNode) record.path("userIdentity").path("sessionContext"))
        .put("sourceIdentity", "alice." + (key.equals(LEASE_KEY) ? "crd_lease" : "crd_grant"));
    record
        .put("eventTime", at.truncatedTo(ChronoUnit.SECONDS).toString())
        .put("eventID", rule.replace('_', '-') + "-" + key + "-" + at.getEpochSecond());
    byte[] body = ("{\"detail\":" + record + "}").getBytes(StandardCharsets.UTF_8);
    return await(ingest.accept(Optional.of("Bearer " + TOKEN), body));
  }

  long count(String sql) throws Exception {
    return Long.parseLong(AuditTables.strings(url, sql).get(0));
  }

  List<Finding> findings() throws Exception {
    return await(new FindingStore(db.pool()).ofRequest("req_1"));
  }

  /** What follows each finding, delivered as the outbox would. */
  void deliver() throws Exception {
    for (Finding f : findings()) {
      await(acts.deliver(new FindingChange(f), new DurableListener.Delivery(1, 1)));
    }
  }

  private FindingEnds recordingEnds() {
    return new FindingEnds() {
      @Override
      public Future<Outcome> endLease(String leaseId, Finding finding) {
        ended.add("lease " + leaseId + " " + finding.id());
        return Future.succeededFuture(Outcome.ENDED);
      }

      @Override
      public Future<Outcome> revokeGrant(String requestId, Finding finding) {
        ended.add("grant " + requestId + " " + finding.id());
        return Future.succeededFuture(Outcome.ENDED);
      }
    };
  }

  private void grantAndLease() throws Exception {
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "INSERT INTO access_requests (id, profile, requester_issuer, requester_subject, reason,"
            + " duration_seconds, break_glass, approvals_required, state, created_at, updated_at,"
            + " version) VALUES ('req_1', 'prod', '"
            + ISSUER
            + "', 'alice', 'INC-1', 3600, false, 0, 'approved', now(), now(), 1);"
            + " INSERT INTO grants (id, request_id, profile, principal_issuer, principal_subject,"
            + " starts_at, ends_at, break_glass, created_at) VALUES ('grt_1', 'req_1', 'prod', '"
            + ISSUER
            + "', 'alice', now(), now() + interval '1 hour', false, now());"
            + " INSERT INTO leases (id, request_id, grant_id, profile, holder_issuer,"
            + " holder_subject, task, created_at, expires_at, state, token_sha256) VALUES ('"
            + LEASE
            + "', 'req_1', 'grt_1', 'prod', '"
            + ISSUER
            + "', 'alice', 'agent run', now(), now() + interval '30 minutes', 'active', 'feed')");
  }

  private void session(String id, LedgerEntry.Basis basis, String key) throws Exception {
    LedgerEntry entry =
        new LedgerEntry(
            id,
            basis,
            new LedgerEntry.Holder(ISSUER, "alice"),
            "prod",
            Receipt.awsSession(ROLE, key, "alice", "alice." + id, Instant.now().plusSeconds(900)));
    await(
        audit.append(
            AuditEvent.builder("credential.issued")
                .grantId("grt_1")
                .requestId("req_1")
                .detail("credential_id", id)
                .build(),
            LedgerRows.issued(entry)));
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }
}
