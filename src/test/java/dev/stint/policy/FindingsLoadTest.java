package dev.stint.policy;

import static dev.stint.policy.PolicyLoaderTest.AWS;
import static dev.stint.policy.PolicyLoaderTest.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.testing.PolicyFixtures;
import java.io.IOException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code findings:} at the top level and on a profile: what is in force for each rule on each
 * profile, and every refusal as {@code file: key: reason}, which the schema refuses too.
 */
class FindingsLoadTest {
  static String withFindings(String top, String onProfile) {
    return profile(AWS, onProfile.isEmpty() ? "" : "    findings: " + onProfile + "\n")
        + (top.isEmpty() ? "" : "findings: " + top + "\n");
  }

  @Test
  void withoutABlockEveryRuleIsLiveAndNotifiesAtItsOwnSeverity() {
    Policy p = PolicyFixtures.load(withFindings("", ""));
    assertThat(p.findings()).isEqualTo(Findings.NONE);
    for (FindingRule rule : FindingRule.values()) {
      RuleInForce r = p.findingRule(rule, "p");
      assertThat(r.mode()).isEqualTo(FindingMode.LIVE);
      assertThat(r.action()).isEqualTo(FindingAction.NOTIFY);
      assertThat(r.severity()).isEqualTo(rule.defaultSeverity());
      assertThat(r.limits()).isEqualTo(RuleInForce.Limits.of(rule));
    }
  }

  @Test
  void theDefaultSeveritiesAreTheContracts() {
    assertThat(Stream.of(FindingRule.values()).map(r -> r.id() + "=" + r.defaultSeverity().code()))
        .containsExactly(
            "escape=high",
            "privilege_escalation=high",
            "logging_off=high",
            "secrets_burst=medium",
            "denied_burst=medium",
            "new_service=low",
            "new_region=low",
            "new_network=medium",
            "volume=medium");
  }

  @Test
  void theProfilesBlockComesFirstThenTheTopLevelsThenTheDefaults() {
    Policy p =
        PolicyFixtures.load(
            withFindings(
                "{mode: dry_run, rules: {escape: {action: end, severity: medium},"
                    + " secrets_burst: {threshold: 5, window: 2m}, new_region: {mode: live}}}",
                "{mode: live, rules: {escape: {mode: dry_run}, volume: {factor: 4, mode: off}}}"));

    RuleInForce escape = p.findingRule(FindingRule.ESCAPE, "p");
    assertThat(escape.mode()).as("the profile's rule").isEqualTo(FindingMode.DRY_RUN);
    assertThat(escape.action()).as("the top level's rule").isEqualTo(FindingAction.END);
    assertThat(escape.severity()).isEqualTo(FindingSeverity.MEDIUM);
    RuleInForce secrets = p.findingRule(FindingRule.SECRETS_BURST, "p");
    assertThat(secrets.mode()).as("the profile's mode").isEqualTo(FindingMode.LIVE);
    assertThat(secrets.limits()).isEqualTo(new RuleInForce.Limits(5, Duration.ofMinutes(2), 0));
    RuleInForce volume = p.findingRule(FindingRule.VOLUME, "p");
    assertThat(volume.mode()).isEqualTo(FindingMode.OFF);
    assertThat(volume.limits().factor()).isEqualTo(4);
    assertThat(volume.limits().threshold()).isEqualTo(FindingRule.VOLUME.defaultThreshold());
    assertThat(p.findingRule(FindingRule.ESCAPE, "gone").mode())
        .as("a profile no longer in the policy: the top level's")
        .isEqualTo(FindingMode.DRY_RUN);
    assertThat(p.findingRule(FindingRule.NEW_REGION, "gone").mode()).isEqualTo(FindingMode.LIVE);
  }

  @Test
  void anUnquotedOffIsOff() throws IOException {
    String yaml =
        withFindings(
            "{mode: off, rules: {escape: {mode: live}}}", "{rules: {volume: {mode: off}}}");
    Policy p = PolicyFixtures.load(yaml);
    assertThat(p.findingRule(FindingRule.NEW_SERVICE, "p").mode()).isEqualTo(FindingMode.OFF);
    assertThat(p.findingRule(FindingRule.VOLUME, "p").mode()).isEqualTo(FindingMode.OFF);
    assertThat(p.findingRule(FindingRule.ESCAPE, "p").mode()).isEqualTo(FindingMode.LIVE);
    assertThat(PolicySchemaTest.validate(yaml).getValid()).isTrue();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            withFindings("{rules: {escapes: {mode: live}}}", ""),
            "findings.rules.escapes: unknown rule 'escapes' (expected one of escape,"
                + " privilege_escalation, logging_off, secrets_burst, denied_burst, new_service,"
                + " new_region, new_network, volume)"),
        Arguments.of(
            withFindings("{mode: loud}", ""),
            "findings.mode: must be one of off, dry_run, live, got 'loud'"),
        Arguments.of(
            withFindings("", "{rules: {escape: {mode: on}}}"),
            "profiles.p.findings.rules.escape.mode: must be one of off, dry_run, live, got true"
                + " (YAML reads on and yes so)"),
        Arguments.of(
            withFindings("{rules: {escape: {severity: critical}}}", ""),
            "findings.rules.escape.severity: must be one of low, medium, high, got 'critical'"),
        Arguments.of(
            withFindings("{rules: {escape: {action: kill}}}", ""),
            "findings.rules.escape.action: must be one of notify, end, got 'kill'"),
        Arguments.of(
            withFindings("{rules: {escape: {threshold: 3}}}", ""),
            "findings.rules.escape.threshold: does not apply to escape"),
        Arguments.of(
            withFindings("", "{rules: {secrets_burst: {factor: 3}}}"),
            "profiles.p.findings.rules.secrets_burst.factor: does not apply to secrets_burst"),
        Arguments.of(
            withFindings("{rules: {denied_burst: {threshold: 1}}}", ""),
            "findings.rules.denied_burst.threshold: must be from 2 to 100000"),
        Arguments.of(
            withFindings("{rules: {volume: {factor: 1}}}", ""),
            "findings.rules.volume.factor: must be from 2 to 1000"),
        Arguments.of(
            withFindings("{rules: {escape: {notify: slack}}}", ""),
            "findings.rules.escape.notify: unknown key"),
        Arguments.of(withFindings("{modes: live}", ""), "findings.modes: unknown key"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void aBadBlockIsRefusedNamingFileKeyAndReasonAndTheSchemaRefusesItToo(String yaml, String problem)
      throws IOException {
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(yaml));
    assertThat(e).as(yaml).isNotNull();
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("policy.yaml: " + problem));
    assertThat(PolicySchemaTest.validate(yaml).getValid()).as(yaml).isFalse();
  }

  @Test
  void aWindowOutsideItsRangeIsRefused() {
    for (String window : new String[] {"30s", "2h"}) {
      PolicyException e =
          catchThrowableOfType(
              PolicyException.class,
              () ->
                  PolicyFixtures.load(
                      withFindings("{rules: {secrets_burst: {window: " + window + "}}}", "")));
      assertThat(e.problems())
          .anySatisfy(
              p ->
                  assertThat(p)
                      .endsWith("findings.rules.secrets_burst.window: must be from 1m to 1h"));
    }
  }
}
