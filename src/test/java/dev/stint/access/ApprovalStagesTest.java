package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.ApprovalStage;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.http.RequestJson;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyLoader;
import dev.stint.policy.Profile;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestIdp;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approval in stages on a real database: a team lead, then security; a vote counts in the open
 * stage only (a security vote before the lead's is refused {@code stage_not_open} and recorded), no
 * one decides two stages, {@code skip_if} skips a stage for the request as filed, the stages are
 * fixed when the request is filed, and escalation counts from when a stage opened.
 */
class ApprovalStagesTest {
  static AccessRig rig;
  static AccessUseCases access;

  static final String LEADS = "principal.groups.exists(g, g == \"leads\")";
  static final String SECURITY = "principal.groups.exists(g, g == \"security\")";

  static String policy(TestIdp idp) {
    String aws =
        "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  prod:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      stages:\n"
        + "        - name: lead\n"
        + "          count: 1\n"
        + "          approvers: '"
        + LEADS
        + "'\n"
        + "          skip_if: 'principal.groups.exists(g, g == \"leads\")'\n"
        + "        - name: security\n"
        + "          count: 2\n"
        + "          approvers: '"
        + SECURITY
        + "'\n"
        + "          escalate_after: 1h\n"
        + "          escalate_to: 'principal.groups.exists(g, g == \"ciso\")'\n"
        + "  quiet:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      stages:\n"
        + "        - {name: lead, count: 1, approvers: '"
        + LEADS
        + "', skip_if: 'request.duration_seconds <= 900'}\n"
        + "        - {name: owner, count: 1, approvers: '"
        + SECURITY
        + "', skip_if: 'request.duration_seconds <= 900'}\n"
        + "  deploy:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      stages:\n"
        + "        - {name: owner, count: 1, approvers: '"
        + LEADS
        + "', skip_if: 'request.duration_seconds <= 1800'}\n"
        + "  negated:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    break_glass: true\n"
        + "    approval:\n"
        + "      stages:\n"
        + "        - {name: peer, count: 1, approvers: 'true'}\n"
        + "        - {name: security, count: 1, approvers: '"
        + SECURITY
        + "', skip_if: '!oncall(\"SECPRIMARY\")'}\n";
  }

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig = new AccessRig(policyDir, ApprovalStagesTest::policy);
    access = rig.replica().access();
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  @BeforeEach
  void resetClock() {
    rig.clock.set(AccessRig.T0);
  }

  static AccessRequest file(String profile, Duration duration, String user, String... groups)
      throws Exception {
    return AuditTables.await(
        access
            .requests()
            .create(
                rig.caller(user, groups),
                new NewRequest(
                    profile,
                    duration,
                    "INC-40 stages",
                    Optional.empty(),
                    Optional.empty(),
                    false)));
  }

  static Future<AccessRequest> vote(Action action, String id, String user, String... groups) {
    return access.decisions().decide(rig.caller(user, groups), id, action, Optional.empty());
  }

  static StintException refusal(Future<?> f) throws Exception {
    return (StintException) AuditTables.failure(f);
  }

  @Test
  void theSecondStageOpensOnlyOnceTheFirstIsApproved() throws Exception {
    AccessRequest r = file("prod", Duration.ofMinutes(30), "ann", "eng");
    assertThat(stages(r)).containsExactly("lead 0/1 open", "security 0/2 waiting");

    StintException early = refusal(vote(Action.APPROVE, r.id(), "sec1", "security"));
    assertThat(early.code()).isEqualTo(ErrorCode.STAGE_NOT_OPEN);
    assertThat(early.detail())
        .isEqualTo("you approve in stage 'security', which opens after stage 'lead' is approved");
    StintException earlyNo = refusal(vote(Action.DENY, r.id(), "sec1", "security"));
    assertThat(earlyNo.code()).isEqualTo(ErrorCode.STAGE_NOT_OPEN);
    assertThat(refusedCodes(r.id())).containsExactly("stage_not_open", "stage_not_open");

    AccessRequest led = AuditTables.await(vote(Action.APPROVE, r.id(), "lee", "leads"));
    assertThat(led.state()).isEqualTo(RequestState.PENDING);
    assertThat(stages(led)).containsExactly("lead 1/1 approved", "security 0/2 open");
    JsonObject json = RequestJson.of(led, rig.clock.instant());
    assertThat(json.getString("stage")).isEqualTo("security");
    assertThat(json.getJsonArray("approvals").getJsonObject(0).getString("stage"))
        .isEqualTo("lead");

    StintException lateLead = refusal(vote(Action.APPROVE, r.id(), "lou", "leads"));
    assertThat(lateLead.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(lateLead.detail()).isEqualTo("you are not an approver for profile prod");
    assertThat(
            new AccessRules(rig.policies.current(), rig.clock.instant())
                .rights(rig.caller("lou", "leads").principal(), led)
                .mayApprove()
                .reason())
        .isEqualTo("you are not an approver of stage 'security' of profile 'prod'");

    AccessRequest one = AuditTables.await(vote(Action.APPROVE, r.id(), "sec1", "security"));
    assertThat(one.state()).isEqualTo(RequestState.PENDING);
    AccessRequest done = AuditTables.await(vote(Action.APPROVE, r.id(), "sec2", "security"));
    assertThat(done.state()).isEqualTo(RequestState.APPROVED);
    assertThat(stages(done)).containsExactly("lead 1/1 approved", "security 2/2 approved");
    assertThat(
            AuditTables.strings(
                rig.url,
                "SELECT type || ' ' || (details ->> 'stage') FROM audit_events WHERE request_id = '"
                    + r.id()
                    + "' AND details ? 'stage' ORDER BY seq"))
        .containsExactly(
            "approval.recorded lead", "approval.recorded security", "request.approved security");
  }

  @Test
  void nobodyDecidesTwoStages() throws Exception {
    AccessRequest r = file("prod", Duration.ofMinutes(30), "bea", "eng");
    AuditTables.await(vote(Action.APPROVE, r.id(), "both", "leads", "security"));
    StintException again = refusal(vote(Action.APPROVE, r.id(), "both", "leads", "security"));
    assertThat(again.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(again.detail()).isEqualTo("you have already decided on this request");
  }

  @Test
  void anOpenStagesApproverMayDenyAndOneNoEndsTheRequest() throws Exception {
    AccessRequest r = file("prod", Duration.ofMinutes(30), "cal", "eng");
    AuditTables.await(vote(Action.APPROVE, r.id(), "lia", "leads"));
    AccessRequest denied = AuditTables.await(vote(Action.DENY, r.id(), "sec3", "security"));
    assertThat(denied.state()).isEqualTo(RequestState.DENIED);
    assertThat(denied.votes().get(1).stage()).contains("security");
  }

  @Test
  void skipIfSkipsAStageForTheRequestAsFiled() throws Exception {
    AccessRequest r = file("prod", Duration.ofMinutes(30), "lena", "leads");
    assertThat(stages(r)).containsExactly("lead 0/1 skipped", "security 0/2 open");
    assertThat(r.approvalsRequired()).isEqualTo(2);
    assertThat(refusal(vote(Action.APPROVE, r.id(), "lee", "leads")).code())
        .as("a skipped stage's approvers decide nothing")
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(AuditTables.await(vote(Action.APPROVE, r.id(), "sec4", "security")).state())
        .isEqualTo(RequestState.PENDING);
  }

  @Test
  void aRequestWhoseEveryStageIsSkippedIsApprovedAtOnce() throws Exception {
    AccessRequest shortOne = file("quiet", Duration.ofMinutes(10), "dan", "eng");
    assertThat(shortOne.state()).isEqualTo(RequestState.APPROVED);
    assertThat(stages(shortOne)).containsExactly("lead 0/1 skipped", "owner 0/1 skipped");
    AccessRequest longOne = file("quiet", Duration.ofMinutes(30), "dan", "eng");
    assertThat(longOne.state()).isEqualTo(RequestState.PENDING);
  }

  @Test
  void escalationCountsFromWhenTheStageOpened() throws Exception {
    AccessRequest r = file("prod", Duration.ofMinutes(30), "eve", "eng");
    rig.clock.set(AccessRig.T0.plus(Duration.ofMinutes(50)));
    AuditTables.await(vote(Action.APPROVE, r.id(), "lee", "leads"));

    rig.clock.set(AccessRig.T0.plus(Duration.ofMinutes(100)));
    AccessRequest inSecurity =
        AuditTables.await(access.requests().get(rig.caller("eve", "eng"), r.id()));
    assertThat(
            new AccessRules(rig.policies.current(), rig.clock.instant())
                .rights(rig.caller("cy", "ciso").principal(), inSecurity)
                .mayApprove()
                .reason())
        .as("an hour in the security stage, not since the request was filed")
        .contains("escalates only at " + AccessRig.T0.plus(Duration.ofMinutes(110)));
    assertThat(refusal(vote(Action.APPROVE, r.id(), "cy", "ciso")).code())
        .isEqualTo(ErrorCode.NOT_FOUND);

    rig.clock.set(AccessRig.T0.plus(Duration.ofMinutes(111)));
    AuditTables.await(access.sweeps().sweep());
    assertThat(
            AuditTables.strings(
                rig.url,
                "SELECT details ->> 'stage' FROM audit_events WHERE request_id = '"
                    + r.id()
                    + "' AND type = 'request.escalated'"))
        .containsExactly("security");
    assertThat(AuditTables.await(vote(Action.APPROVE, r.id(), "cy", "ciso")).state())
        .isEqualTo(RequestState.PENDING);
  }

  @Test
  void theStagesAreThoseOfTheRequestAsFiledNotOfTodaysPolicy() throws Exception {
    AccessRequest r = file("prod", Duration.ofMinutes(30), "fay", "eng");
    AccessRequest read = AuditTables.await(access.requests().get(rig.caller("fay", "eng"), r.id()));
    assertThat(read.stages())
        .containsExactly(
            new ApprovalStage("lead", 1, false), new ApprovalStage("security", 2, false));
  }

  /** The security review's H1: a CI rule that asks for approval asks for a person. */
  @Test
  void aCiRequestSkipsNoStageAndIsNeverApprovedWithoutAPerson() throws Exception {
    Profile deploy = rig.policies.current().profile("deploy").orElseThrow();
    AccessRequest r =
        AuditTables.await(
            access
                .grants()
                .createForCi(
                    rig.caller("repo:acme/app:ref:refs/heads/main"),
                    deploy,
                    new NewRequest(
                        "deploy",
                        Duration.ofMinutes(30),
                        "CI rule 'deploy'",
                        Optional.empty(),
                        Optional.empty(),
                        false),
                    "deploy"));
    assertThat(r.state()).isEqualTo(RequestState.PENDING);
    assertThat(stages(r)).containsExactly("owner 0/1 open");
    assertThat(file("deploy", Duration.ofMinutes(30), "gus", "eng").state())
        .as("a person's request of the same length skips the stage")
        .isEqualTo(RequestState.APPROVED);
  }

  /** The security review's H2: a fact nobody could look up never skips a stage. */
  @Test
  void aNegatedFactThatCouldNotBeLookedUpSkipsNothing() throws Exception {
    AccessRequest r = file("negated", Duration.ofMinutes(30), "hal", "eng");
    assertThat(stages(r)).containsExactly("peer 0/1 open", "security 0/1 waiting");
  }

  /** The security review's M1: a peer stage's approvers do not review break-glass uses. */
  @Test
  void onlyTheLastStagesApproversReviewABreakGlassUse() throws Exception {
    AccessRequest used =
        AuditTables.await(
            access
                .requests()
                .create(
                    rig.caller("ida", "eng"),
                    new NewRequest(
                        "negated",
                        Duration.ofMinutes(30),
                        "INC-40 break glass",
                        Optional.empty(),
                        Optional.empty(),
                        true)));
    StintException peer = refusal(vote(Action.REVIEW, used.id(), "pat", "eng"));
    assertThat(peer.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(AuditTables.await(vote(Action.REVIEW, used.id(), "sid", "security")).grant())
        .hasValueSatisfying(g -> assertThat(g.needsReview()).isFalse());
  }

  /** The security review's L3: a second vote is refused as a second vote, whatever the stage. */
  @Test
  void aSecondVoteIsAConflictEvenWhenTheVotersStageHasClosed() throws Exception {
    AccessRequest r = file("prod", Duration.ofMinutes(30), "jo", "eng");
    AuditTables.await(vote(Action.APPROVE, r.id(), "lex", "leads"));
    StintException again = refusal(vote(Action.APPROVE, r.id(), "lex", "leads"));
    assertThat(again.code()).isEqualTo(ErrorCode.CONFLICT);
  }

  /**
   * What a request was filed with stands: a reload that raises a stage's count or removes the open
   * stage changes nothing it needs; a stage gone from the policy can no longer be decided.
   */
  @Test
  void aPolicyChangedAfterFilingChangesNoRequestsStages(@TempDir Path changed) throws Exception {
    AccessRequest r = file("prod", Duration.ofMinutes(30), "kim", "eng");
    AccessRequest other = file("prod", Duration.ofMinutes(30), "lou", "eng");
    AuditTables.await(vote(Action.APPROVE, r.id(), "lyn", "leads"));
    Policy before = rig.policies.current();
    try {
      Files.writeString(
          changed.resolve("p.yaml"),
          policy(rig.idp).replace("          count: 2\n", "          count: 5\n"));
      rig.policies.replace(new PolicyLoader().load(changed));
      assertThat(rig.policies.current().profile("prod").orElseThrow().approval().last().count())
          .isEqualTo(5);
      AuditTables.await(vote(Action.APPROVE, r.id(), "sec5", "security"));
      assertThat(AuditTables.await(vote(Action.APPROVE, r.id(), "sec6", "security")).state())
          .as("two of security, as filed")
          .isEqualTo(RequestState.APPROVED);

      Files.writeString(
          changed.resolve("p.yaml"),
          policy(rig.idp).replace("        - name: lead\n", "        - name: team-lead\n"));
      rig.policies.replace(new PolicyLoader().load(changed));
      StintException gone = refusal(vote(Action.APPROVE, other.id(), "lee", "leads"));
      assertThat(gone.code()).isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(
              stages(
                  AuditTables.await(access.requests().get(rig.caller("lou", "eng"), other.id()))))
          .containsExactly("lead 0/1 open", "security 0/2 waiting");
    } finally {
      rig.policies.replace(before);
    }
  }

  /** Each stage escalates on its own clock: the mark is cleared when the next stage opens. */
  @Test
  void eachStageEscalatesOnce(@TempDir Path changed) throws Exception {
    Policy before = rig.policies.current();
    try {
      Files.writeString(
          changed.resolve("p.yaml"),
          policy(rig.idp)
              .replace(
                  "          skip_if: 'principal.groups.exists(g, g == \"leads\")'\n",
                  "          escalate_after: 30m\n"
                      + "          escalate_to: 'principal.groups.exists(g, g == \"ciso\")'\n"));
      rig.policies.replace(new PolicyLoader().load(changed));
      AccessRequest r = file("prod", Duration.ofMinutes(30), "max", "eng");
      rig.clock.set(AccessRig.T0.plus(Duration.ofMinutes(31)));
      AuditTables.await(access.sweeps().sweep());
      AuditTables.await(vote(Action.APPROVE, r.id(), "cyd", "ciso"));
      rig.clock.set(AccessRig.T0.plus(Duration.ofMinutes(60)));
      AuditTables.await(access.sweeps().sweep());
      rig.clock.set(AccessRig.T0.plus(Duration.ofMinutes(92)));
      AuditTables.await(access.sweeps().sweep());
      AuditTables.await(access.sweeps().sweep());
      assertThat(
              AuditTables.strings(
                  rig.url,
                  "SELECT details ->> 'stage' FROM audit_events WHERE request_id = '"
                      + r.id()
                      + "' AND type = 'request.escalated' ORDER BY seq"))
          .containsExactly("lead", "security");
    } finally {
      rig.policies.replace(before);
    }
  }

  static List<String> stages(AccessRequest r) {
    return StageProgress.of(r).stream()
        .map(s -> s.name() + " " + s.votes() + "/" + s.count() + " " + s.state().code())
        .toList();
  }

  static List<String> refusedCodes(String id) throws Exception {
    return AuditTables.strings(
        rig.url,
        "SELECT details ->> 'code' FROM audit_events WHERE request_id = '"
            + id
            + "' AND type = 'request.refused' ORDER BY seq");
  }
}
