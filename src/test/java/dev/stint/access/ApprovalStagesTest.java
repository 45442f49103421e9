package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessService.Action;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.http.RequestJson;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestIdp;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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
  static AccessService access;

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
        + "', skip_if: 'request.duration_seconds <= 900'}\n";
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
        access.create(
            rig.caller(user, groups),
            new NewRequest(
                profile, duration, "INC-40 stages", Optional.empty(), Optional.empty(), false)));
  }

  static Future<AccessRequest> vote(Action action, String id, String user, String... groups) {
    return access.decide(rig.caller(user, groups), id, action, Optional.empty());
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
    AccessRequest inSecurity = AuditTables.await(access.get(rig.caller("eve", "eng"), r.id()));
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
    AuditTables.await(access.sweep());
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
    AccessRequest read = AuditTables.await(access.get(rig.caller("fay", "eng"), r.id()));
    assertThat(read.stages())
        .containsExactly(
            new ApprovalStage("lead", 1, false), new ApprovalStage("security", 2, false));
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
