package dev.stint.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.ParameterValues;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.policy.Profile;
import dev.stint.testing.PolicyFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A lease is never wider than its grant: who, how long, how many, and its policy, proven. */
class LeaseRulesTest {
  static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  static final Person ALICE = new Person("https://idp.example", "alice", Optional.empty());
  static final Person MALLORY = new Person("https://idp.example", "mallory", Optional.empty());
  static final String POLICY =
      """
      profiles:
        s3-prefix:
          aws:
            role_arn: 'arn:aws:iam::111122223333:role/reader'
            session_policy:
              Version: '2012-10-17'
              Statement:
                - {Effect: Allow, Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::team-logs/${prefix}*'}
          parameters:
            prefix: {pattern: '[a-z0-9/]{1,40}', description: The prefix, admits: [arn_separators]}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
          leases: {max_duration: 30m, max_active: 2}
        whole:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader'}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
          leases: {max_duration: 30m, max_active: 2}
        none:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader'}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
        managed:
          aws:
            role_arn: 'arn:aws:iam::111122223333:role/admin'
            session_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess']
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
          leases: {max_duration: 30m, max_active: 2}
        fixed:
          aws:
            role_arn: 'arn:aws:iam::111122223333:role/reader'
            session_policy:
              Version: '2012-10-17'
              Statement:
                - {Effect: Allow, Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::team-z/*'}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
          leases: {max_duration: 30m, max_active: 2}
        fixed-narrowed:
          aws:
            role_arn: 'arn:aws:iam::111122223333:role/reader'
            session_policy:
              Version: '2012-10-17'
              Statement:
                - {Effect: Allow, Action: 's3:GetObject', Resource: 'arn:aws:s3:::team-z/*'}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
          leases: {max_duration: 30m, max_active: 2}
        voted:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader'}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
          leases: {max_duration: 30m, max_active: 2, approval: required}
        gcp-read:
          gcp: {service_account: viewer@acme-prod.iam.gserviceaccount.com}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
          leases: {max_duration: 30m, max_active: 2}
      """;

  static Profile profile(String name) {
    return PolicyFixtures.load(POLICY).profile(name).orElseThrow();
  }

  static Grant grant(Profile profile, ParameterValues values, Instant ends) {
    return new Grant(
        "grt_1",
        "req_1",
        profile.name(),
        ALICE,
        NOW.minusSeconds(60),
        ends,
        false,
        Optional.empty(),
        Optional.empty(),
        new Narrowed(values, profile.narrowedPolicy(values)));
  }

  static ParameterValues prefix(String value) {
    return ParameterValues.of(Map.of("prefix", value));
  }

  static LeaseTerms ask(Duration d) {
    return new LeaseTerms("list the report bucket", d, Optional.empty(), Optional.empty());
  }

  static StintException refused(Profile p, Grant g, Person who, LeaseTerms a, int live) {
    return catchThrowableOfType(
        StintException.class, () -> LeaseRules.plan(p, g, who, a, live, NOW));
  }

  @Test
  void aLeaseCarriesItsGrantsPolicyAndEndsWithinIt() {
    Profile p = profile("s3-prefix");
    Grant g = grant(p, prefix("reports/"), NOW.plus(Duration.ofMinutes(20)));

    LeaseRules.Plan plan = LeaseRules.plan(p, g, ALICE, ask(Duration.ofMinutes(30)), 1, NOW);

    assertThat(plan.expiresAt()).isEqualTo(g.endsAt());
    assertThat(plan.narrowing().policy()).isEqualTo(g.narrowed().policy());
    assertThat(plan.narrowing().values()).isEqualTo(g.narrowed().values());
  }

  @Test
  void whoHowLongAndHowManyAreRefused() {
    Profile p = profile("s3-prefix");
    Grant g = grant(p, prefix("reports/"), NOW.plus(Duration.ofHours(1)));
    Grant ended = grant(p, prefix("reports/"), NOW);

    assertThat(refused(p, g, MALLORY, ask(Duration.ofMinutes(5)), 0).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(refused(p, ended, ALICE, ask(Duration.ofMinutes(5)), 0).code())
        .isEqualTo(ErrorCode.CONFLICT);
    assertThat(refused(p, g, ALICE, ask(Duration.ofMinutes(31)), 0).getMessage())
        .contains("at most 30 minutes");
    assertThat(refused(p, g, ALICE, ask(Duration.ZERO), 0)).isNotNull();
    assertThat(refused(p, g, ALICE, ask(Duration.ofMinutes(5)), 2).getMessage())
        .isEqualTo("grant grt_1 has 2 live leases; its profile allows 2");
    Profile none = profile("none");
    assertThat(
            refused(
                    none,
                    grant(none, ParameterValues.NONE, NOW.plusSeconds(600)),
                    ALICE,
                    ask(Duration.ofMinutes(5)),
                    0)
                .getMessage())
        .contains("allows no leases");
    assertThat(
            refused(
                    p,
                    g,
                    ALICE,
                    new LeaseTerms(
                        "a\nb", Duration.ofMinutes(5), Optional.empty(), Optional.empty()),
                    0)
                .getMessage())
        .contains("one line");
    assertThat(
            refused(
                    p,
                    g,
                    ALICE,
                    new LeaseTerms(
                        "use eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl",
                        Duration.ofMinutes(5),
                        Optional.empty(),
                        Optional.empty()),
                    0)
                .getMessage())
        .contains("never paste a secret")
        .doesNotContain("eyJ");
  }

  static LeaseTerms own(String statements) {
    return new LeaseTerms(
        "one task", Duration.ofMinutes(5), Optional.empty(), Optional.of(statements));
  }

  @Test
  void ownStatementsAreNeverProvenAgainstAProfileNarrowedByManagedPoliciesAlone() {
    Profile managed = profile("managed");
    Grant g = grant(managed, ParameterValues.NONE, NOW.plusSeconds(600));

    StintException e =
        refused(
            managed,
            g,
            ALICE,
            own("[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]"),
            0);

    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(e.getMessage()).contains("session_policy_arns");
    assertThat(LeaseRules.plan(managed, g, ALICE, ask(Duration.ofMinutes(5)), 0, NOW).narrowing())
        .isEqualTo(Lease.Narrowing.NONE);
  }

  @Test
  void ownStatementsProvenOnceAreRefusedAgainstTheProfileNarrowedSince() {
    Profile fixed = profile("fixed");
    Grant g = grant(fixed, ParameterValues.NONE, NOW.plusSeconds(600));
    String put =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::team-z/in/*\"}]";

    LeaseRules.Plan made = LeaseRules.plan(fixed, g, ALICE, own(put), 0, NOW);
    LeaseRules.requireWithinGrant(fixed, g, made.narrowing().policy().orElseThrow().json());

    StintException since =
        catchThrowableOfType(
            StintException.class,
            () ->
                LeaseRules.requireWithinGrant(
                    profile("fixed-narrowed"), g, made.narrowing().policy().orElseThrow().json()));
    assertThat(since.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(refused(fixed, g, ALICE, own("[]"), 0).getMessage())
        .contains("at least one statement");
  }

  @Test
  void aSessionPolicyIsTakenAsStatementsOrADocumentAndNothingElse() {
    String one = "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}";

    assertThat(LeaseTerms.statementsOf("[" + one + "]")).isEqualTo("[" + one + "]");
    assertThat(LeaseTerms.statementsOf("{\"Version\":\"2012-10-17\",\"Statement\":[" + one + "]}"))
        .isEqualTo("[" + one + "]");
    assertThat(LeaseTerms.statementsOf("{\"Version\":\"2012-10-17\",\"Statement\":" + one + "}"))
        .isEqualTo("[" + one + "]");
    for (String not : List.of(one, "\"s3:GetObject\"", "{\"Version\":\"2012-10-17\"}", "[", "7")) {
      assertThat(catchThrowableOfType(StintException.class, () -> LeaseTerms.statementsOf(not)))
          .as(not)
          .isNotNull();
    }
  }

  @Test
  void aTaskOfExactlyTheLongestLengthIsTaken() {
    Profile p = profile("s3-prefix");
    Grant g = grant(p, prefix("reports/"), NOW.plusSeconds(600));
    LeaseTerms longest =
        new LeaseTerms(
            "read logs ".repeat(50), Duration.ofMinutes(5), Optional.empty(), Optional.empty());

    assertThat(LeaseRules.plan(p, g, ALICE, longest, 0, NOW)).isNotNull();
    assertThat(
            refused(
                    p,
                    g,
                    ALICE,
                    new LeaseTerms(
                        "read logs ".repeat(50) + "x",
                        Duration.ofMinutes(5),
                        Optional.empty(),
                        Optional.empty()),
                    0)
                .getMessage())
        .contains("at most 500");
  }

  @Test
  void aLeaseOfAProfileThatAsksAVoteWaitsForOne() {
    Profile voted = profile("voted");
    Profile p = profile("s3-prefix");

    LeaseRules.Plan waits =
        LeaseRules.plan(
            voted,
            grant(voted, ParameterValues.NONE, NOW.plusSeconds(600)),
            ALICE,
            ask(Duration.ofMinutes(5)),
            0,
            NOW);
    LeaseRules.Plan at =
        LeaseRules.plan(
            p,
            grant(p, prefix("reports/"), NOW.plusSeconds(600)),
            ALICE,
            ask(Duration.ofMinutes(5)),
            0,
            NOW);

    assertThat(waits.needsVote()).isTrue();
    assertThat(at.needsVote()).isFalse();
  }

  @Test
  void narrowerValuesAreProvenInsideTheGrantsAndWiderOnesRefused() {
    Profile p = profile("s3-prefix");
    Grant g = grant(p, prefix("reports/"), NOW.plus(Duration.ofHours(1)));

    LeaseRules.Plan narrower =
        LeaseRules.plan(
            p,
            g,
            ALICE,
            new LeaseTerms(
                "t", Duration.ofMinutes(5), Optional.of(prefix("reports/2026/")), Optional.empty()),
            0,
            NOW);
    StintException wider =
        refused(
            p,
            g,
            ALICE,
            new LeaseTerms("t", Duration.ofMinutes(5), Optional.of(prefix("re")), Optional.empty()),
            0);

    assertThat(narrower.narrowing().policy().orElseThrow().json())
        .contains("arn:aws:s3:::team-logs/reports/2026/*");
    assertThat(wider.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(wider.getMessage())
        .startsWith("the lease's policy is not within its grant's: statement 1");
  }

  @Test
  void ownStatementsAreProvenAgainstTheGrantOrTheRoleAndRefusedWhenWider() {
    Profile p = profile("s3-prefix");
    Grant g = grant(p, prefix("reports/"), NOW.plus(Duration.ofHours(1)));
    String inside =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::team-logs/reports/a.csv\"}]";
    String outside =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::team-logs/reports/a.csv\"}]";
    Profile whole = profile("whole");
    Grant wholeGrant = grant(whole, ParameterValues.NONE, NOW.plus(Duration.ofHours(1)));

    assertThat(
            LeaseRules.plan(
                    p,
                    g,
                    ALICE,
                    new LeaseTerms(
                        "t", Duration.ofMinutes(5), Optional.empty(), Optional.of(inside)),
                    0,
                    NOW)
                .narrowing()
                .policy()
                .orElseThrow()
                .json())
        .isEqualTo(inside);
    assertThat(
            refused(
                    p,
                    g,
                    ALICE,
                    new LeaseTerms(
                        "t", Duration.ofMinutes(5), Optional.empty(), Optional.of(outside)),
                    0)
                .code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(
            LeaseRules.plan(
                    whole,
                    wholeGrant,
                    ALICE,
                    new LeaseTerms(
                        "t", Duration.ofMinutes(5), Optional.empty(), Optional.of(outside)),
                    0,
                    NOW)
                .narrowing()
                .policy())
        .isPresent();
    assertThat(
            refused(
                    p,
                    g,
                    ALICE,
                    new LeaseTerms(
                        "t",
                        Duration.ofMinutes(5),
                        Optional.of(prefix("reports/")),
                        Optional.of(inside)),
                    0)
                .getMessage())
        .contains("not both");
  }

  @Test
  void onlyAnAwsLeaseMayBeNarrowerThanItsGrant() {
    Profile gcp = profile("gcp-read");
    Grant g = grant(gcp, ParameterValues.NONE, NOW.plus(Duration.ofHours(1)));

    assertThat(
            LeaseRules.plan(gcp, g, ALICE, ask(Duration.ofMinutes(5)), 0, NOW).narrowing().policy())
        .isEmpty();
    assertThat(
            refused(
                    gcp,
                    g,
                    ALICE,
                    new LeaseTerms("t", Duration.ofMinutes(5), Optional.empty(), Optional.of("[]")),
                    0)
                .getMessage())
        .contains("only an AWS lease can be narrower");
  }
}
