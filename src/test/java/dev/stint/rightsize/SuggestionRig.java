package dev.stint.rightsize;

import static dev.stint.testing.AuditTables.await;

import dev.stint.access.Caller;
import dev.stint.activity.ActivityAnomalies;
import dev.stint.activity.ActivityIngest;
import dev.stint.activity.GrantActivity;
import dev.stint.activity.ProfileCalls;
import dev.stint.activity.RoleWatch;
import dev.stint.activity.Visibility;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerEntry;
import dev.stint.ledger.LedgerRows;
import dev.stint.mint.Receipt;
import dev.stint.mint.aws.CloudTrailRecords;
import dev.stint.policy.PolicyInForce;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.PolicyFixtures;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Right-sizing against the real migrations, ledger, ingest and audit log: Alice's grant of {@code
 * prod} (request {@code req_1}) with a session of its own and one of her task lease, and Bob's
 * grant of {@code other} (request {@code req_2}) on the same role; CloudTrail records pushed
 * through the real ingest, whose keep counts them per profile (V56); the suggestion read through
 * {@link Suggestions} under a policy whose {@code prod} allows S3, DynamoDB, CloudWatch reads and
 * EC2.
 */
final class SuggestionRig implements AutoCloseable {
  static final String TOKEN = "rightsize-ingest-token-0123456789abcdef";
  static final String ACCOUNT = "111122223333";
  static final String ROLE = "arn:aws:iam::111122223333:role/prod";
  static final String ISSUER = "https://idp.example";
  static final String GRANT_KEY = "ASIAGRANTSESSION0001";
  static final String LEASE_KEY = "ASIALEASESESSION0001";
  static final String OTHER_KEY = "ASIAOTHERSESSION0001";
  static final String LEASE = "lse_abcdefghijklmnopqrstuvwx";
  static final String TODAY =
      "      session_policy:\n"
          + "        Version: '2012-10-17'\n"
          + "        Statement:\n"
          + "          - Effect: Allow\n"
          + "            Action: ['s3:*', 'dynamodb:*', 'cloudwatch:Get*', 'ec2:*']\n"
          + "            Resource: '*'\n";

  final DatabaseUrl url = TestPostgres.migratedDatabase();
  final Vertx vertx = Vertx.vertx();
  final Database db = Database.connect(vertx, url, 4);
  final GroupCommitAuditLog audit =
      new GroupCommitAuditLog(
          vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
  final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  final ActivityIngest ingest;
  final Suggestions suggestions;

  SuggestionRig() throws Exception {
    GrantActivity activity =
        new GrantActivity(db.pool(), new Ledger(db.pool()), Visibility.Push.ON);
    RoleWatch roles =
        new RoleWatch(activity, () -> Set.of(ROLE), audit, (r, c, d) -> {}, Clock.systemUTC());
    ingest =
        new ActivityIngest(
            activity,
            new ActivityIngest.Reading(TOKEN, CloudTrailRecords::delivered),
            new ActivityIngest.Watch(
                roles, new ActivityAnomalies(activity, audit, (e, d) -> {}, Clock.systemUTC())),
            Clock.systemUTC());
    suggestions =
        new Suggestions(
            new ProfileCalls(db.pool()),
            IamActions.published(),
            new PolicyInForce(PolicyFixtures.load(policy(TODAY))),
            audit,
            Clock.systemUTC());
    grants();
    session(
        "crd_grant",
        "req_1",
        "prod",
        LedgerEntry.Basis.grant("grt_1", "req_1", Optional.empty()),
        GRANT_KEY);
    session(
        "crd_lease", "req_1", "prod", LedgerEntry.Basis.lease("grt_1", "req_1", LEASE), LEASE_KEY);
    session(
        "crd_other",
        "req_2",
        "other",
        LedgerEntry.Basis.grant("grt_2", "req_2", Optional.empty()),
        OTHER_KEY);
  }

  /** The policy: auditors in {@code security}, admins in {@code ops}; {@code prod} as given. */
  static String policy(String prodSessionPolicy) {
    return "auditors: 'principal.groups.exists(g, g == \"security\")'\n"
        + "admins: 'principal.groups.exists(g, g == \"ops\")'\n"
        + "profiles:\n"
        + "  prod:\n    aws:\n      role_arn: '"
        + ROLE
        + "'\n"
        + prodSessionPolicy
        + "    max_duration: 1h\n    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true'}\n"
        + "  other:\n    aws: {role_arn: '"
        + ROLE
        + "'}\n    max_duration: 1h\n    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true'}\n";
  }

  static Caller caller(String subject, String group) {
    return new Caller(
        PolicyFixtures.person(subject, subject + "@example.com", List.of(group)),
        Optional.of("127.0.0.1"),
        Optional.of("test"));
  }

  /** A call of {@code source} named {@code name} made with {@code key}, a minute ago. */
  static CloudTrailEvent.Builder call(String source, String name, String key) {
    return CloudTrailEvent.builder(source, name)
        .time(Instant.now().minusSeconds(60))
        .region("eu-west-1")
        .accessKeyId(key)
        .assumedRole("prod", "alice");
  }

  ActivityIngest.Outcome push(CloudTrailEvent.Builder call) throws Exception {
    JsonObject record = call.build().record(ACCOUNT);
    byte[] body = new JsonObject().put("detail", record).encode().getBytes(StandardCharsets.UTF_8);
    return await(ingest.accept(Optional.of("Bearer " + TOKEN), body));
  }

  Suggestion suggest(Caller who, String profile) throws Exception {
    return await(suggestions.of(who, profile, () -> now.minus(java.time.Duration.ofDays(90))));
  }

  long audited(String where) throws Exception {
    return AuditTables.count(url, where);
  }

  private void grants() throws Exception {
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        request("req_1", "prod", "alice")
            + grant("grt_1", "req_1", "prod", "alice")
            + request("req_2", "other", "bob")
            + grant("grt_2", "req_2", "other", "bob")
            + " INSERT INTO leases (id, request_id, grant_id, profile, holder_issuer,"
            + " holder_subject, task, created_at, expires_at, state, token_sha256) VALUES ('"
            + LEASE
            + "', 'req_1', 'grt_1', 'prod', '"
            + ISSUER
            + "', 'alice', 'agent run', now(), now() + interval '30 minutes', 'active', 'feed')");
  }

  private static String request(String id, String profile, String who) {
    return " INSERT INTO access_requests (id, profile, requester_issuer, requester_subject,"
        + " reason, duration_seconds, break_glass, approvals_required, state, created_at,"
        + " updated_at, version) VALUES ('"
        + id
        + "', '"
        + profile
        + "', '"
        + ISSUER
        + "', '"
        + who
        + "', 'INC-1', 3600, false, 0, 'approved', now(), now(), 1);";
  }

  private static String grant(String id, String request, String profile, String who) {
    return " INSERT INTO grants (id, request_id, profile, principal_issuer, principal_subject,"
        + " starts_at, ends_at, break_glass, created_at) VALUES ('"
        + id
        + "', '"
        + request
        + "', '"
        + profile
        + "', '"
        + ISSUER
        + "', '"
        + who
        + "', now(), now() + interval '1 hour', false, now());";
  }

  private void session(
      String id, String request, String profile, LedgerEntry.Basis basis, String key)
      throws Exception {
    LedgerEntry entry =
        new LedgerEntry(
            id,
            basis,
            new LedgerEntry.Holder(ISSUER, "alice"),
            profile,
            Receipt.awsSession(ROLE, key, "alice", "alice." + id, now.plusSeconds(900)));
    await(
        audit.append(
            AuditEvent.builder("credential.issued")
                .requestId(request)
                .detail("credential_id", id)
                .build(),
            LedgerRows.issued(entry)));
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }
}
