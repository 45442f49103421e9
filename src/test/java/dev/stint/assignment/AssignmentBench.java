package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditLog;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.cloud.AccountAssignment;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.identity.Person;
import dev.stint.mint.Assigner;
import dev.stint.mint.aws.AwsClients;
import dev.stint.mint.aws.AwsSettings;
import dev.stint.mint.aws.IdentityCenterAssigner;
import dev.stint.mint.aws.PortalPolicy;
import dev.stint.outbox.Committed;
import dev.stint.outbox.DurableListener;
import dev.stint.outbox.DurableListener.Delivery;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyInForce;
import dev.stint.revocation.PortalSessions;
import dev.stint.revocation.UnassignedSessions;
import dev.stint.standin.IdentityStoreStandIn;
import dev.stint.standin.SigningKeys;
import dev.stint.standin.SsoAdminStandIn;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import dev.stint.testing.PolicyFixtures;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/**
 * The assignment package against the real migrations, the real SDK clients and the SSO Admin and
 * Identity Store stand-ins: a server's listener ({@link #start}, again on the same database for a
 * restart), a profile of one permission set, and changes committed ({@link #commit}) and delivered
 * ({@link #deliver}) as the outbox does them. A deletion's deny of the user's portal sessions is
 * recorded ({@link #deniedAtDeletion}) unless a test writes it ({@link #unassigning}).
 */
abstract class AssignmentBench {
  /** The member account: stint's own, reached with its own identity. */
  static final String MEMBER = SigningKeys.HOME_ACCOUNT;

  static final String PROFILE = "prod-readonly";
  final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  final ExecutorService executor = Executors.newFixedThreadPool(2);
  final IdentityStoreStandIn store = new IdentityStoreStandIn("d-0123456789");
  final SsoAdminStandIn sso = new SsoAdminStandIn(Clock.systemUTC());
  final FakeSts sts = new FakeSts();

  /**
   * The member account's IAM: where the assigner looks for the permission set's provisioned role
   * and the policies attached to it. It holds none until a test provisions one.
   */
  final FakeIam iam = new FakeIam().signedBy(sts);

  private final Vertx cloudVertx = Vertx.vertx();
  private AwsClients clients;
  String permissionSet;
  DatabaseUrl url;
  Server server;

  /** Whether the requests the bench files say their identity provider verified the email. */
  boolean emailVerified = true;

  /** The clock the next {@link #start}'s listener and audit log read. */
  Clock clock = Clock.systemUTC();

  /** What the next {@link #start} hands the listener in place of the real assigner. */
  UnaryOperator<Assigner> wrapping = UnaryOperator.identity();

  /**
   * The provisioned role the bench's listener finds for the permission set, whatever IAM holds:
   * what a deletion denies the user's portal sessions of.
   */
  static final String ROLE_NAME = "AWSReservedSSO_ReadOnly_0123abcd4567ef89";

  static final String ROLE =
      "arn:aws:iam::" + MEMBER + ":role/aws-reserved/sso.amazonaws.com/" + ROLE_NAME;

  static final String DENY_TARGET = PortalPolicy.arnFor(ROLE);

  /** The denies asked for at deletions, as grant, user and role, when {@link #unassigning} is. */
  final List<String> deniedAtDeletion = new CopyOnWriteArrayList<>();

  /** What the next {@link #start} denies a deleted assignment's sessions through. */
  BiFunction<Pool, AuditLog, UnassignedSessions> unassigning =
      (pool, audit) ->
          (requestId, grantId, held, before) -> {
            deniedAtDeletion.add(grantId + " " + held.user() + " " + held.role());
            return Future.succeededFuture();
          };

  /** What the next {@link #start} hands the listener in place of the real audit log. */
  UnaryOperator<AuditLog> auditing = UnaryOperator.identity();

  /** One server's part: its event loops, pool, audit log and listener. */
  record Server(
      Vertx vertx,
      AssignmentListener listener,
      IdentityCenterAssigner assigner,
      PolicyInForce policies,
      Pool pool,
      AuditLog audit,
      Assignments assignments) {
    /** Where a revoked grant's portal sessions are, as the revocation asks. */
    PortalSessions portals() {
      return assignments.portalSessions();
    }

    void stop() throws Exception {
      assigner.close();
      AuditTables.await(vertx.close());
    }
  }

  @BeforeEach
  void setUp() {
    sso.requests().pollsBeforeDone(2);
    permissionSet = sso.addPermissionSet("ReadOnly", PortalPolicy.REFERENCE);
    sso.principals(id -> store.has(id));
    url = TestPostgres.migratedDatabase();
    server = start();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.stop();
    if (clients != null) {
      clients.close();
    }
    sso.close();
    store.close();
    iam.close();
    sts.close();
    AuditTables.await(cloudVertx.close());
    executor.shutdownNow();
  }

  /**
   * The permission set's role in the member account, as Identity Center provisions it, with the
   * customer managed policies {@code policyArns} attached (none: provisioned before the permission
   * set referenced stint's policy, and not provisioned again since).
   */
  void provisioned(String... policyArns) {
    iam.provisioned(MEMBER, ROLE_NAME, List.of(policyArns));
  }

  /** stint's AWS clients, reaching the member account's IAM as a revocation does. */
  synchronized AwsClients clients() {
    if (clients == null) {
      clients =
          new AwsClients(
              cloudVertx,
              new AwsSettings(
                  Optional.of("eu-west-1"),
                  Optional.of(sts.uri()),
                  Optional.of(iam.uri()),
                  AwsSettings.DEFAULT_SIGNIN,
                  new AwsSettings.Calls(
                      Patience.of(Duration.ofSeconds(5)),
                      Patience.of(Duration.ofMillis(1500)),
                      2,
                      Duration.ofMillis(1))),
              StaticCredentialsProvider.create(
                  AwsBasicCredentials.create("AKIASTINTTESTKEY0001", "stint-test-secret")),
              2);
    }
    return clients;
  }

  /**
   * Restarts the server with its assigner also passed through {@code wrap}, on top of what wraps it
   * already: a test's override of some of AWS's answers.
   */
  void restartWith(UnaryOperator<Assigner> wrap) throws Exception {
    server.stop();
    UnaryOperator<Assigner> before = wrapping;
    wrapping = real -> wrap.apply(before.apply(real));
    server = start();
  }

  Server start() {
    Vertx vertx = Vertx.vertx();
    Database db = Database.connect(vertx, url, 4);
    GroupCommitAuditLog audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), clock, new AuditConfig(Patience.AUDIT_COMMIT, 64));
    IdentityCenterAssigner assigner =
        new IdentityCenterAssigner(
            new Assigner.Endpoints("eu-west-1", Optional.of(sso.uri()), Optional.of(store.uri())),
            Apache5HttpClient.create(),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIASTINTTESTKEY0001", "secretsecretsecret")),
            executor,
            clients());
    PolicyInForce policies = new PolicyInForce(PolicyFixtures.load(policy()));
    Assignments assignments =
        new Assignments(
            db.pool(),
            new Assignments.Cloud(
                wrapping.apply(withRole(assigner)), unassigning.apply(db.pool(), audit)),
            policies,
            new Assignments.Effects(auditing.apply(audit), outbox(db.pool()), this::rebuild, alarm),
            clock,
            new Polls(
                vertx,
                List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50))));
    return new Server(
        vertx, assignments.listener(), assigner, policies, db.pool(), audit, assignments);
  }

  /** {@code assigner}, finding {@link #ROLE} as the permission set's provisioned role. */
  static Assigner withRole(Assigner assigner) {
    Assigner.Role role = new Assigner.Role(ROLE, DENY_TARGET);
    return new ForwardingAssigner(assigner) {
      @Override
      public CompletableFuture<Assigner.Role> role(AccountAssignment at) {
        return CompletableFuture.completedFuture(role);
      }
    };
  }

  /** The alarms raised, one line each: what, which grant, and (for a refusal) the stage. */
  final List<String> alarms = new CopyOnWriteArrayList<>();

  final AssignmentAlarm alarm =
      new AssignmentAlarm() {
        @Override
        public void assignmentRefused(String grantId, String requestId, String stage, String why) {
          alarms.add("refused " + grantId + " " + stage);
        }

        @Override
        public void assignmentEndRestored(String grantId, String requestId) {
          alarms.add("restored " + grantId);
        }
      };

  /** The changes committed, by request: what the outbox's rebuild finds of each request. */
  final Map<String, Change> filed = new ConcurrentHashMap<>();

  /** A change back from what an outbox row kept, as the server's rebuild does it. */
  Future<Optional<Change>> rebuild(Committed.Recorded r) {
    return Future.succeededFuture(
        Optional.ofNullable(filed.get(r.requestId()))
            .map(c -> new Change(r.event(), c.request(), r.actor(), r.comment(), r.at())));
  }

  /**
   * The outbox a failed assignment is told through, with one listener that wants the telling (as
   * {@code notify}'s do), so its rows are written and can be counted ({@link #told}).
   */
  static Outbox<Change> outbox(Pool pool) {
    Outbox<Change> outbox = new Outbox<>(pool);
    outbox.register(
        new DurableListener<Change>() {
          @Override
          public String name() {
            return "test.assignment_failed";
          }

          @Override
          public boolean wants(Change change) {
            return "assignment.failed".equals(change.event());
          }

          @Override
          public Future<Void> deliver(Change change, Delivery delivery) {
            return Future.succeededFuture();
          }
        });
    return outbox;
  }

  /** The outbox's rows of failures told, as request id and the comment saying why. */
  List<String> told() throws Exception {
    return AuditTables.strings(
        url,
        "SELECT request_id || ': ' || comment FROM outbox WHERE event = 'assignment.failed'"
            + " ORDER BY id");
  }

  String policy() {
    return policy(permissionSet);
  }

  String policy(String permissionSet) {
    return "issuers:\n  corp: {issuer: https://idp.test, audience: stint}\n"
        + "profiles:\n  "
        + PROFILE
        + ":\n    aws:\n      mode: identity_center\n"
        + "      instance_arn: '"
        + sso.instanceArn()
        + "'\n      identity_store_id: d-0123456789\n      account_id: '"
        + MEMBER
        + "'\n      permission_set_arn: '"
        + permissionSet
        + "'\n    max_duration: 4h\n    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true'}\n";
  }

  /** The same profile, now naming a role instead of a permission set. */
  static String rolePolicy() {
    return "issuers:\n  corp: {issuer: https://idp.test, audience: stint}\n"
        + "profiles:\n  "
        + PROFILE
        + ":\n    aws: {role_arn: 'arn:aws:iam::"
        + MEMBER
        + ":role/reader'}\n    max_duration: 4h\n    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true'}\n";
  }

  void policyBecomes(String yaml) {
    server.policies().replace(PolicyFixtures.load(yaml));
  }

  Change change(String event, String grantId, Person holder, RequestState state) {
    return change(event, grantId, holder, state, now.minusSeconds(60), now.plusSeconds(3600));
  }

  /** A change of a grant from {@code startsAt} to {@code endsAt}, made at {@link #now}. */
  Change change(
      String event,
      String grantId,
      Person holder,
      RequestState state,
      Instant startsAt,
      Instant endsAt) {
    Grant grant =
        new Grant(
            grantId,
            "req_" + grantId,
            PROFILE,
            holder,
            startsAt,
            endsAt,
            false,
            Optional.empty(),
            Optional.empty(),
            Narrowed.NONE);
    return new Change(
        event,
        Requests.inState("req_" + grantId, state)
            .profile(PROFILE)
            .requester(holder)
            .grant(grant)
            .build(),
        holder,
        Optional.empty(),
        now);
  }

  Change approved(String grantId, Person holder) {
    return change("request.approved", grantId, holder, RequestState.APPROVED);
  }

  Change revoked(String grantId, Person holder) {
    return change("grant.revoked", grantId, holder, RequestState.REVOKED);
  }

  /**
   * What the change's own transaction does for the listener, as the outbox does it: whether it
   * wants the change and, having recorded what it needs, has work (an outbox row) for it.
   */
  boolean commit(Change change) throws Exception {
    AssignmentListener listener = server.listener();
    filed.put(change.request().id(), change);
    return AuditTables.await(
        server
            .pool()
            .withTransaction(
                conn ->
                    conn.preparedQuery(FILED)
                        .execute(
                            Tuple.of(
                                change.request().id(),
                                PROFILE,
                                change.request().requester().issuer(),
                                change.request().requester().subject(),
                                change.request().requester().email().orElse(null),
                                emailVerified))
                        .compose(
                            x ->
                                listener.wants(change)
                                    ? listener.record(conn, change)
                                    : Future.succeededFuture(false))));
  }

  /** The change's request as filed, once, with whether its requester's email was verified. */
  static final String FILED =
      "INSERT INTO access_requests (id, profile, requester_issuer, requester_subject,"
          + " requester_email, reason, duration_seconds, break_glass, approvals_required, state,"
          + " created_at, updated_at, version, requester_email_verified) VALUES ($1, $2, $3, $4,"
          + " $5, 'INC-1', 3600, false, 1, 'approved', now(), now(), 1, $6)"
          + " ON CONFLICT (id) DO NOTHING";

  void deliver(Change change) throws Exception {
    assertThat(commit(change)).as("work for the listener").isTrue();
    deliverCommitted(change);
  }

  /** A delivery of a change already committed (again, or later than its commit). */
  void deliverCommitted(Change change) throws Exception {
    AuditTables.await(server.listener().deliver(change, new Delivery(1, 1)));
  }

  List<String> state(String grantId) throws Exception {
    return AuditTables.strings(
        url, "SELECT state FROM identity_center_assignments WHERE grant_id = '" + grantId + "'");
  }

  List<String> events(String type) throws Exception {
    return AuditTables.strings(
        url, "SELECT grant_id FROM audit_events WHERE type = '" + type + "' ORDER BY seq");
  }

  SsoAdminStandIn.Assignment assignmentOf(String userId) {
    return new SsoAdminStandIn.Assignment(MEMBER, permissionSet, userId);
  }
}
