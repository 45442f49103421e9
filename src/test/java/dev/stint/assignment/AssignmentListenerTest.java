package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.identity.Person;
import dev.stint.mint.aws.IdentityCenterAssigner;
import dev.stint.outbox.DurableListener.Delivery;
import dev.stint.policy.PolicyInForce;
import dev.stint.standin.IdentityStoreStandIn;
import dev.stint.standin.SsoAdminStandIn;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.PolicyFixtures;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * A grant of an identity_center profile is its account assignment, against the real migrations, the
 * real SDK clients and the SSO Admin and Identity Store stand-ins: made on approval and deleted at
 * the grant's end or revoke, also by a server started afresh on the same database; a person without
 * an Identity Center user fails with nothing assigned; overlapping grants keep the assignment until
 * the last ends; an assignment stint did not make is never deleted.
 */
class AssignmentListenerTest {
  static final String MEMBER = "444455556666";
  static final String PROFILE = "prod-readonly";
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final IdentityStoreStandIn store = new IdentityStoreStandIn("d-0123456789");
  private final SsoAdminStandIn sso = new SsoAdminStandIn(Clock.systemUTC()).pollsBeforeDone(2);
  private String permissionSet;
  private DatabaseUrl url;
  private Server server;

  /** One server's part: its event loops, pool, audit log and listener. */
  private record Server(
      Vertx vertx,
      AssignmentListener listener,
      IdentityCenterAssigner assigner,
      PolicyInForce policies,
      Pool pool) {
    void stop() throws Exception {
      assigner.close();
      AuditTables.await(vertx.close());
    }
  }

  @BeforeEach
  void setUp() {
    permissionSet = sso.addPermissionSet("ReadOnly");
    sso.principals(id -> store.has(id));
    url = TestPostgres.migratedDatabase();
    server = start();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.stop();
    sso.close();
    store.close();
    executor.shutdownNow();
  }

  private Server start() {
    Vertx vertx = Vertx.vertx();
    Database db = Database.connect(vertx, url, 4);
    GroupCommitAuditLog audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
    IdentityCenterAssigner assigner =
        new IdentityCenterAssigner(
            new IdentityCenterAssigner.Endpoints(
                Optional.of(sso.uri()), Optional.of(store.uri()), Region.EU_WEST_1),
            Apache5HttpClient.create(),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIASTINTTESTKEY0001", "secretsecretsecret")),
            executor);
    PolicyInForce policies = new PolicyInForce(PolicyFixtures.load(policy()));
    Assignments assignments =
        new Assignments(
            vertx,
            db.pool(),
            assigner,
            policies,
            audit,
            Clock.systemUTC(),
            List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50)));
    return new Server(vertx, assignments.listener(), assigner, policies, db.pool());
  }

  private String policy() {
    return policy(permissionSet);
  }

  private String policy(String permissionSet) {
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
  private static String rolePolicy() {
    return "issuers:\n  corp: {issuer: https://idp.test, audience: stint}\n"
        + "profiles:\n  "
        + PROFILE
        + ":\n    aws: {role_arn: 'arn:aws:iam::"
        + MEMBER
        + ":role/reader'}\n    max_duration: 4h\n    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true'}\n";
  }

  private void policyBecomes(String yaml) {
    server.policies().replace(PolicyFixtures.load(yaml));
  }

  private Change change(String event, String grantId, Person holder, RequestState state) {
    Grant grant =
        new Grant(
            grantId,
            "req_" + grantId,
            PROFILE,
            holder,
            now.minusSeconds(60),
            now.plusSeconds(3600),
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

  private Change approved(String grantId, Person holder) {
    return change("request.approved", grantId, holder, RequestState.APPROVED);
  }

  private Change revoked(String grantId, Person holder) {
    return change("grant.revoked", grantId, holder, RequestState.REVOKED);
  }

  /**
   * What the change's own transaction does for the listener, as the outbox does it: whether it
   * wants the change and, having recorded what it needs, has work (an outbox row) for it.
   */
  private boolean commit(Change change) throws Exception {
    AssignmentListener listener = server.listener();
    return AuditTables.await(
        server
            .pool()
            .withTransaction(
                conn ->
                    listener.wants(change)
                        ? listener.record(conn, change)
                        : Future.succeededFuture(false)));
  }

  private void deliver(Change change) throws Exception {
    assertThat(commit(change)).as("work for the listener").isTrue();
    deliverCommitted(change);
  }

  /** A delivery of a change already committed (again, or later than its commit). */
  private void deliverCommitted(Change change) throws Exception {
    AuditTables.await(server.listener().deliver(change, new Delivery(1, 1)));
  }

  private List<String> state(String grantId) throws Exception {
    return AuditTables.strings(
        url, "SELECT state FROM identity_center_assignments WHERE grant_id = '" + grantId + "'");
  }

  private List<String> events(String type) throws Exception {
    return AuditTables.strings(
        url, "SELECT grant_id FROM audit_events WHERE type = '" + type + "' ORDER BY seq");
  }

  private SsoAdminStandIn.Assignment assignmentOf(String userId) {
    return new SsoAdminStandIn.Assignment(MEMBER, permissionSet, userId);
  }

  @Test
  void aPersonWithoutAnIdentityCenterUserFailsCleanlyWithNothingAssigned() throws Exception {
    deliver(approved("grt_nouser", Requests.ALICE));

    assertThat(state("grt_nouser")).containsExactly("failed");
    assertThat(sso.assignments()).isEmpty();
    assertThat(sso.calls()).doesNotContain("CreateAccountAssignment");
    assertThat(events("assignment.failed")).containsExactly("grt_nouser");
    assertThat(
            AuditTables.strings(
                url, "SELECT reason FROM audit_events WHERE type = 'assignment.failed'"))
        .singleElement()
        .asString()
        .contains("no IAM Identity Center user named alice@example.com");

    deliver(revoked("grt_nouser", Requests.ALICE));
    assertThat(sso.calls()).doesNotContain("DeleteAccountAssignment");
  }

  @Test
  void anApprovedGrantAssignsAndItsRevokeUnassignsAcrossARestart() throws Exception {
    String alice = store.addUser("ALICE@example.com").userId();

    deliver(approved("grt_one", Requests.ALICE));
    assertThat(state("grt_one")).containsExactly("created");
    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
    assertThat(events("assignment.created")).containsExactly("grt_one");

    server.stop();
    server = start();

    deliver(revoked("grt_one", Requests.ALICE));
    assertThat(state("grt_one")).containsExactly("deleted");
    assertThat(sso.assignments()).isEmpty();
    assertThat(events("assignment.deleted")).containsExactly("grt_one");
  }

  @Test
  void aRepeatedDeliveryMakesNothingTwice() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_twice", Requests.ALICE));
    deliverCommitted(approved("grt_twice", Requests.ALICE));

    assertThat(sso.calls().stream().filter("CreateAccountAssignment"::equals)).hasSize(1);
    assertThat(events("assignment.created")).containsExactly("grt_twice");
  }

  @Test
  void overlappingGrantsKeepTheAssignmentUntilTheLastEnds() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    deliver(approved("grt_first", Requests.ALICE));
    deliver(approved("grt_second", Requests.ALICE));
    assertThat(sso.calls().stream().filter("CreateAccountAssignment"::equals)).hasSize(1);

    deliver(revoked("grt_first", Requests.ALICE));
    assertThat(sso.assignments())
        .as("the second grant still holds it")
        .contains(assignmentOf(alice));
    assertThat(sso.calls()).doesNotContain("DeleteAccountAssignment");

    deliver(change("grant.expired", "grt_second", Requests.ALICE, RequestState.EXPIRED));
    assertThat(sso.assignments()).isEmpty();
    assertThat(state("grt_second")).containsExactly("deleted");
  }

  @Test
  void anAssignmentStintDidNotMakeIsNeverDeleted() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    sso.assign(MEMBER, permissionSet, alice);

    deliver(approved("grt_theirs", Requests.ALICE));
    deliver(revoked("grt_theirs", Requests.ALICE));

    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
    assertThat(sso.calls()).doesNotContain("CreateAccountAssignment", "DeleteAccountAssignment");
    assertThat(state("grt_theirs")).containsExactly("deleted");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT details->>'assignment_deleted' FROM audit_events"
                    + " WHERE type = 'assignment.deleted'"))
        .containsExactly("false");
  }

  @Test
  void anotherPersonsAssignmentIsUntouched() throws Exception {
    String bob = store.addUser("bob@example.com").userId();
    sso.assign(MEMBER, permissionSet, bob);
    String alice = store.addUser("alice@example.com").userId();

    deliver(approved("grt_alice", Requests.ALICE));
    deliver(revoked("grt_alice", Requests.ALICE));

    assertThat(sso.assignments()).containsExactly(assignmentOf(bob));
    assertThat(alice).isNotEqualTo(bob);
  }

  @Test
  void throttlingAndConflictsAreRetried() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    sso.failNext("ThrottlingException");
    sso.failNext("ConflictException");

    deliver(approved("grt_busy", Requests.ALICE));

    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
    assertThat(state("grt_busy")).containsExactly("created");
  }

  @Test
  void aRefusalOfStintsRightsFailsTheDeliveryForTheOutboxToRetry() throws Exception {
    store.addUser("alice@example.com");
    sso.failNext("AccessDeniedException");

    Change change = approved("grt_denied", Requests.ALICE);
    assertThat(commit(change)).isTrue();
    assertThatThrownBy(
            () -> AuditTables.await(server.listener().deliver(change, new Delivery(1, 1))))
        .isNotNull();
    assertThat(sso.assignments()).isEmpty();
    assertThat(state("grt_denied")).containsExactly("creating");

    deliverCommitted(change);
    assertThat(state("grt_denied")).containsExactly("created");
  }

  @Test
  void anEndOfAGrantWithNoRecordedAssignmentIsNoWork() throws Exception {
    store.addUser("alice@example.com");
    assertThat(commit(revoked("grt_never", Requests.ALICE))).isFalse();
    assertThat(state("grt_never")).isEmpty();
  }

  @Test
  void aGrantRevokedBeforeItsAssignmentWasMadeAssignsNothing() throws Exception {
    store.addUser("alice@example.com");
    assertThat(commit(approved("grt_early", Requests.ALICE))).isTrue();
    assertThat(commit(revoked("grt_early", Requests.ALICE))).isTrue();

    deliverCommitted(change("request.approved", "grt_early", Requests.ALICE, RequestState.REVOKED));
    deliverCommitted(revoked("grt_early", Requests.ALICE));

    assertThat(sso.assignments()).isEmpty();
    assertThat(sso.calls()).doesNotContain("CreateAccountAssignment", "DeleteAccountAssignment");
    assertThat(state("grt_early")).containsExactly("deleted");
  }

  @Test
  void anApprovalOfAProfileNamingARoleIsNoWork() throws Exception {
    policyBecomes(rolePolicy());
    assertThat(commit(approved("grt_role", Requests.ALICE))).isFalse();
    assertThat(commit(revoked("grt_role", Requests.ALICE))).isFalse();
    assertThat(state("grt_role")).isEmpty();
  }

  @Test
  void aProfileSwitchedToARoleWhileItsGrantLivesStillUnassignsAtItsEnd() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    deliver(approved("grt_switched", Requests.ALICE));
    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));

    policyBecomes(rolePolicy());
    deliver(revoked("grt_switched", Requests.ALICE));

    assertThat(sso.assignments()).as("access must not outlive its grant").isEmpty();
    assertThat(state("grt_switched")).containsExactly("deleted");
  }

  @Test
  void anEndUnassignsThePermissionSetRecordedAtApprovalNotTodays() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    String admin = sso.addPermissionSet("Admin");
    deliver(approved("grt_moved", Requests.ALICE));

    policyBecomes(policy(admin));
    sso.assign(MEMBER, admin, alice);
    deliver(change("grant.expired", "grt_moved", Requests.ALICE, RequestState.EXPIRED));

    assertThat(sso.assignments())
        .as("the recorded assignment is gone; the other, not stint's, stays")
        .containsExactly(new SsoAdminStandIn.Assignment(MEMBER, admin, alice));
  }

  @Test
  void anApprovalAssignsThePermissionSetItWasApprovedForThoughThePolicyChangedSince()
      throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    String admin = sso.addPermissionSet("Admin");
    Change approval = approved("grt_late", Requests.ALICE);
    assertThat(commit(approval)).isTrue();

    policyBecomes(policy(admin));
    deliverCommitted(approval);

    assertThat(sso.assignments())
        .as("what was approved, not what the policy names at delivery")
        .containsExactly(assignmentOf(alice));
    assertThat(
            AuditTables.strings(
                url,
                "SELECT permission_set_arn FROM identity_center_assignments"
                    + " WHERE grant_id = 'grt_late'"))
        .containsExactly(permissionSet);
  }
}
