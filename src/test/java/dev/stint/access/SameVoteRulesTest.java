package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.extension.Extension;
import dev.stint.extension.ExtensionService;
import dev.stint.extension.ExtensionStore;
import dev.stint.identity.Principal;
import dev.stint.testing.AuditTables;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vote on an extension goes through the rules a vote on its request goes through ({@link
 * Vote#refusal}): the same vote is refused on both for the same reason, in the same words but for
 * what is voted on. The profile needs two approvers with a fresh sign-in (step-up), so an extension
 * also needs two.
 */
class SameVoteRulesTest {
  static AccessRig rig;
  static AccessUseCases access;
  static ExtensionService extensions;

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig =
        new AccessRig(
            policyDir,
            idp ->
                "issuers:\n"
                    + idp.issuerYaml("corp")
                    + "profiles:\n  p:\n"
                    + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\"}\n"
                    + "    max_duration: 1h\n    requesters: 'true'\n"
                    + "    approval: {count: 2,"
                    + " approvers: 'principal.groups.exists(g, g == \"sre\")', step_up: true}\n"
                    + "    extension: {max_total: 4h, approval: required}\n");
    AccessRig.Replica replica = rig.replica();
    access = replica.access();
    extensions =
        new ExtensionService(
            new ExtensionStore(replica.db().pool()), rig.policies, replica.audit(), rig.clock);
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  /** {@code user} of group sre, signed in at {@code at} (OIDC auth_time). */
  static Caller approver(String user, Instant at) {
    Principal p =
        new Principal(
            "corp",
            rig.idp.issuer(),
            user,
            Optional.of(user + "@example.com"),
            List.of("sre"),
            Map.of(
                "email",
                user + "@example.com",
                "email_verified",
                true,
                "auth_time",
                at.getEpochSecond()),
            AccessRig.T0.plus(Duration.ofDays(9)),
            Optional.empty());
    return new Caller(p, Optional.of("127.0.0.1"), Optional.of("test"));
  }

  static Caller fresh(String user) {
    return approver(user, rig.clock.instant());
  }

  /** Signed in long before the step-up window. */
  static Caller stale(String user) {
    return approver(user, rig.clock.instant().minus(Duration.ofHours(2)));
  }

  static Caller alice() {
    return rig.caller("alice");
  }

  /** A request of Alice's, pending. */
  static String pendingRequest() throws Exception {
    return AuditTables.await(
            access
                .requests()
                .create(
                    alice(),
                    new NewRequest(
                        "p",
                        Duration.ofMinutes(30),
                        "",
                        Optional.empty(),
                        Optional.empty(),
                        false)))
        .id();
  }

  /** Alice's request approved by two fresh approvers, and her extension of it, pending. */
  static String pendingExtension() throws Exception {
    String id = pendingRequest();
    onRequest(fresh("bob"), id, Action.APPROVE);
    onRequest(fresh("carol"), id, Action.APPROVE);
    Extension e =
        AuditTables.await(extensions.extend(alice(), id, Duration.ofMinutes(30), "more"))
            .extension();
    assertThat(e.state()).isEqualTo(Extension.State.PENDING);
    return e.id();
  }

  static Future<?> request(Caller who, String id, Action action) {
    return access.decisions().decide(who, id, action, Optional.empty());
  }

  static Future<?> extension(Caller who, String id, Action action) {
    return extensions.decide(who, id, action, Optional.empty());
  }

  static void onRequest(Caller who, String id, Action action) throws Exception {
    AuditTables.await(request(who, id, action));
  }

  /** What a refused decision answered: its code and its reason. */
  record Refusal(ErrorCode code, String reason) {}

  static Refusal refusal(Future<?> decided) throws Exception {
    Throwable e = AuditTables.failure(decided);
    assertThat(e).isInstanceOf(StintException.class);
    return new Refusal(((StintException) e).code(), ((StintException) e).detail());
  }

  @Test
  void aStepUpApproverWithoutAFreshSignInIsToldToSignInAgainOnBoth() throws Exception {
    rig.clock.set(AccessRig.T0);
    String req = pendingRequest();
    String ext = pendingExtension();
    for (Action vote : List.of(Action.APPROVE, Action.DENY)) {
      Refusal onRequest = refusal(request(stale("dave"), req, vote));
      Refusal onExtension = refusal(extension(stale("dave"), ext, vote));

      assertThat(onRequest.code()).isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(onRequest.reason())
          .startsWith("profile 'p' needs a fresh sign-in to decide (step-up)");
      assertThat(onExtension).as(vote.code()).isEqualTo(onRequest);
    }
    // Signed in afresh, the same approver's vote counts on both.
    onRequest(fresh("dave"), req, Action.APPROVE);
    AuditTables.await(extension(fresh("dave"), ext, Action.APPROVE));
  }

  @Test
  void noOneVotesOnTheirOwnRequestOrTheirOwnExtension() throws Exception {
    rig.clock.set(AccessRig.T0);
    String req = pendingRequest();
    String ext = pendingExtension();

    assertThat(refusal(request(alice(), req, Action.APPROVE)))
        .isEqualTo(new Refusal(ErrorCode.FORBIDDEN, "you cannot approve your own request"));
    assertThat(refusal(extension(alice(), ext, Action.APPROVE)))
        .isEqualTo(new Refusal(ErrorCode.FORBIDDEN, "you cannot approve your own extension"));
    assertThat(refusal(request(alice(), req, Action.DENY)))
        .isEqualTo(
            new Refusal(
                ErrorCode.FORBIDDEN, "you cannot deny your own request; cancel it instead"));
    assertThat(refusal(extension(alice(), ext, Action.DENY)))
        .isEqualTo(
            new Refusal(
                ErrorCode.FORBIDDEN, "you cannot deny your own extension; cancel it instead"));
  }

  @Test
  void aSecondVoteIsAConflictOnBothEvenWhenTheSignInHasSinceGoneStale() throws Exception {
    rig.clock.set(AccessRig.T0);
    String req = pendingRequest();
    String ext = pendingExtension();
    onRequest(fresh("erin"), req, Action.APPROVE);
    AuditTables.await(extension(fresh("erin"), ext, Action.APPROVE));

    assertThat(refusal(request(fresh("erin"), req, Action.DENY)))
        .isEqualTo(new Refusal(ErrorCode.CONFLICT, "you have already decided on this request"));
    assertThat(refusal(extension(fresh("erin"), ext, Action.DENY)))
        .isEqualTo(new Refusal(ErrorCode.CONFLICT, "you have already decided on this extension"));

    // Stale, the step-up comes first on both: signing in again would still meet the conflict.
    Refusal onRequest = refusal(request(stale("erin"), req, Action.APPROVE));
    assertThat(onRequest.reason()).contains("(step-up)");
    assertThat(refusal(extension(stale("erin"), ext, Action.APPROVE))).isEqualTo(onRequest);
  }

  @Test
  void onlyTheAskerCancelsEither() throws Exception {
    rig.clock.set(AccessRig.T0);
    String req = pendingRequest();
    String ext = pendingExtension();

    assertThat(refusal(request(fresh("frank"), req, Action.CANCEL)))
        .isEqualTo(new Refusal(ErrorCode.FORBIDDEN, "only the requester can cancel a request"));
    assertThat(refusal(extension(fresh("frank"), ext, Action.CANCEL)))
        .isEqualTo(new Refusal(ErrorCode.FORBIDDEN, "only the requester can cancel an extension"));
  }
}
