package dev.stint.policy;

import static dev.stint.policy.PolicyLoaderTest.AWS;
import static dev.stint.policy.PolicyLoaderTest.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.testing.PolicyFixtures;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code approval.stages} at load: the staged form with its rules per stage, the one-stage form as
 * a single stage, and every malformed staged approval refused with its key.
 */
class ApprovalStagesLoadTest {
  static final String HEAD =
      ISSUER + "profiles:\n  p:\n" + AWS + "    max_duration: 1h\n    requesters: 'true'\n";

  static String approval(String body) {
    return HEAD + "    approval:\n" + body;
  }

  static final String TWO_STAGES =
      approval(
          """
                auto_approve: 'false'
                stages:
                  - name: lead
                    count: 1
                    approvers: 'principal.groups.exists(g, g == "leads")'
                    skip_if: 'principal.groups.exists(g, g == "leads")'
                  - name: security
                    count: 2
                    approvers: 'principal.groups.exists(g, g == "security")'
                    escalate_after: 2h
                    escalate_to: 'principal.groups.exists(g, g == "ciso")'
                    remind_after: 30m
          """);

  @Test
  void theStagedFormLoadsItsRulesPerStage() {
    Approval a = PolicyFixtures.load(TWO_STAGES).profile("p").orElseThrow().approval();
    assertThat(a.stages()).extracting(Stage::name).containsExactly("lead", "security");
    assertThat(a.stages()).extracting(Stage::count).containsExactly(1, 2);
    assertThat(a.count()).isEqualTo(3);
    assertThat(a.stages().get(0).skipIf()).isPresent();
    assertThat(a.stages().get(0).escalation()).isEmpty();
    assertThat(a.last().escalation().orElseThrow().after()).isEqualTo(Duration.ofHours(2));
    assertThat(a.last().remindAfter()).contains(Duration.ofMinutes(30));
    assertThat(a.autoApprove()).isPresent();
    assertThat(a.single()).isFalse();
  }

  @Test
  void theOneStageFormIsASingleStageNamedApproval() {
    Approval a =
        PolicyFixtures.load(approval("      count: 2\n      approvers: 'true'\n"))
            .profile("p")
            .orElseThrow()
            .approval();
    assertThat(a.stages())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.name()).isEqualTo(Stage.SINGLE);
              assertThat(s.count()).isEqualTo(2);
              assertThat(s.skipIf()).isEmpty();
            });
    assertThat(a.single()).isTrue();
  }

  static final String STAGE = "      - {name: a, count: 1, approvers: 'true'}\n";

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "count beside stages",
            approval("      count: 1\n      stages:\n" + STAGE),
            "profiles.p.approval.count: belongs in each stage when the approval has stages"),
        Arguments.of(
            "no stages",
            approval("      stages: []\n"),
            "profiles.p.approval.stages: must list 1 to 5 stages"),
        Arguments.of(
            "six stages",
            approval(
                "      stages:\n"
                    + Stream.of("a", "b", "c", "d", "e", "f")
                        .map(n -> "      - {name: " + n + ", count: 1, approvers: 'true'}\n")
                        .reduce("", String::concat)),
            "profiles.p.approval.stages: must list 1 to 5 stages"),
        Arguments.of(
            "stages not a list",
            approval("      stages: {a: 1}\n"),
            "profiles.p.approval.stages: must be a list of mappings"),
        Arguments.of(
            "a stage without a name",
            approval("      stages:\n      - {count: 1, approvers: 'true'}\n"),
            "profiles.p.approval.stages[0].name"),
        Arguments.of(
            "two stages of one name",
            approval("      stages:\n" + STAGE + STAGE),
            "profiles.p.approval.stages[1].name: another stage of this approval is named 'a'"),
        Arguments.of(
            "the one-stage form's name",
            approval("      stages:\n      - {name: approval, count: 1, approvers: 'true'}\n"),
            "profiles.p.approval.stages[0].name: 'approval' names the one stage"),
        Arguments.of(
            "a name with capitals",
            approval("      stages:\n      - {name: Lead, count: 1, approvers: 'true'}\n"),
            "profiles.p.approval.stages[0].name: must be lower-case letters"),
        Arguments.of(
            "a stage without approvers",
            approval("      stages:\n      - {name: a, count: 1}\n"),
            "profiles.p.approval.stages[0].approvers"),
        Arguments.of(
            "a count of zero",
            approval("      stages:\n      - {name: a, count: 0, approvers: 'true'}\n"),
            "profiles.p.approval.stages[0].count: must be between 1 and 10"),
        Arguments.of(
            "skip_if that does not type-check",
            approval(
                "      stages:\n      - {name: a, count: 1, approvers: 'true', skip_if: 'principal.nope'}\n"),
            "profiles.p.approval.stages[0].skip_if: CEL: undefined field 'nope'"),
        Arguments.of(
            "an unknown key in a stage",
            approval(
                "      stages:\n      - {name: a, count: 1, approvers: 'true', step_up: true}\n"),
            "profiles.p.approval.stages[0].step_up: unknown key"),
        Arguments.of(
            "escalate_after without escalate_to in a stage",
            approval(
                "      stages:\n      - {name: a, count: 1, approvers: 'true', escalate_after: 1h}\n"),
            "profiles.p.approval.stages[0].escalate_to: is required with escalate_after"),
        Arguments.of(
            "skip_if in the one-stage form",
            approval("      count: 1\n      approvers: 'true'\n      skip_if: 'true'\n"),
            "profiles.p.approval.skip_if: unknown key"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void aMalformedStagedApprovalIsRefusedWithItsKey(String name, String yaml, String expected) {
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(yaml));
    assertThat(e).as("policy should be refused").isNotNull();
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(expected));
  }

  @Test
  void aBundlesProfilesMustApproveInTheSameStages() {
    String staged =
        "    max_duration: 1h\n    requesters: 'true'\n    approval:\n      stages:\n"
            + "      - {name: lead, count: 1, approvers: 'true'}\n"
            + "      - {name: security, count: 1, approvers: 'true'}\n";
    String single =
        "    max_duration: 1h\n    requesters: 'true'\n    approval: {count: 2, approvers: 'true'}\n";
    String yaml =
        ISSUER
            + "profiles:\n  a:\n"
            + AWS
            + staged
            + "  b:\n"
            + AWS
            + single
            + "  c:\n"
            + AWS
            + staged
            + "bundles:\n  mixed: {profiles: [a, b]}\n  alike: {profiles: [a, c]}\n";
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(yaml));
    assertThat(e).isNotNull();
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .contains(
                        "bundles.mixed.profiles: the profiles of a bundle must approve in the same"
                            + " stages (found lead, security; approval)"));
  }
}
