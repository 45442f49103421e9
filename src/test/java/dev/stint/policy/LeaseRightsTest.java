package dev.stint.policy;

import static dev.stint.testing.PolicyFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.testing.PolicyFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every "may" about task leases, allowed and refused, with the reasons, as one table. */
class LeaseRightsTest {
  static final Instant NOON = Instant.parse("2026-03-04T12:00:00Z");
  static final Policy POLICY =
      PolicyFixtures.load(
          """
          admins: 'principal.groups.exists(g, g == "platform")'
          issuers:
            corp: {issuer: https://login.example.com, audience: stint}
          profiles:
            leased:
              aws: {role_arn: "arn:aws:iam::111122223333:role/reader"}
              max_duration: 2h
              requesters: 'true'
              approval: {count: 1, approvers: 'principal.groups.exists(g, g == "leads")'}
              leases: {max_duration: 30m, max_active: 2}
            unleased:
              aws: {role_arn: "arn:aws:iam::111122223333:role/reader"}
              max_duration: 2h
              requesters: 'true'
              approval: {count: 1, approvers: 'principal.groups.exists(g, g == "leads")'}
            fixed:
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
            managed:
              aws:
                role_arn: 'arn:aws:iam::111122223333:role/admin'
                session_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess']
              max_duration: 2h
              requesters: 'true'
              approval: {count: 1, approvers: 'true'}
              leases: {max_duration: 30m, max_active: 2}
          """);

  static final Principal ALICE = person("alice", "alice@example.com", List.of("eng"));
  static final Principal LEAD = person("carol", "carol@example.com", List.of("leads"));
  static final Principal ADMIN = person("pat", "pat@example.com", List.of("platform"));
  static final Principal STRANGER = person("bob", "bob@example.com", List.of("eng"));

  /** An agent's own identity, and someone at another issuer with its email. */
  static final Person AGENT =
      new Person("https://login.example.com", "agent-7", Optional.of("agent@example.com"));

  static final Person AGENT_BY_EMAIL =
      new Person("https://partner.example.com", "a-7", Optional.of("AGENT@example.com"));

  static final String GET_TEAM_Z =
      "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::team-z/a/*\"}]";
  static final String PUT_TEAM_Z =
      "[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::team-z/*\"}]";

  static Profile profile(String name) {
    return POLICY.profile(name).orElseThrow();
  }

  static LeaseRights of(Principal p) {
    return new LeaseRights(p.person());
  }

  /** Alice's grant of {@code profile}, as the rights of {@code p} on it see it. */
  static RequestRights grantRights(Principal p) {
    FiledRequest alices =
        new FiledRequest(
            ALICE.person(),
            "leased",
            new RequestFacts(Duration.ofHours(1), Optional.empty(), Optional.empty(), false),
            NOON);
    return new PolicyEvaluator(POLICY).rights(p, alices, NOON);
  }

  static LeaseRights.AtMint live(Optional<LeaseRights.LeasedGrant> grant) {
    return new LeaseRights.AtMint("lse_1", "active", true, grant);
  }

  static final Optional<LeaseRights.LeasedGrant> ACTIVE =
      Optional.of(new LeaseRights.LeasedGrant("grt_1", "leased", true));

  static Arguments row(
      String name,
      Function<LeaseRights, Decision> asked,
      Principal who,
      boolean allowed,
      String why) {
    return Arguments.of(name, asked, who, allowed, why);
  }

  static Stream<Arguments> cases() {
    Person alice = ALICE.person();
    LeaseRights.Suspension held = new LeaseRights.Suspension("rev_1", NOON);
    return Stream.of(
        row(
            "a person's grant",
            r -> LeaseRights.mayLeaseGrantOf("req_1", Optional.empty()),
            ALICE,
            true,
            "a person's grant"),
        row(
            "a CI job's grant",
            r -> LeaseRights.mayLeaseGrantOf("req_1", Optional.of("deploy")),
            ALICE,
            false,
            "request req_1 was opened under CI rule 'deploy': a CI job's grant cannot be leased"),
        row(
            "create: the holder",
            r -> r.mayCreate(profile("leased"), "grt_1", alice),
            ALICE,
            true,
            "the holder may lease grant grt_1"),
        row(
            "create: anyone else",
            r -> r.mayCreate(profile("leased"), "grt_1", alice),
            STRANGER,
            false,
            "only the holder of grant grt_1 leases it"),
        row(
            "create: an admin is no holder",
            r -> r.mayCreate(profile("leased"), "grt_1", alice),
            ADMIN,
            false,
            "only the holder"),
        row(
            "create: a profile without leases",
            r -> r.mayCreate(profile("unleased"), "grt_1", alice),
            ALICE,
            false,
            "profile 'unleased' allows no leases (no leases: rule)"),
        row(
            "carry: within the grant's document",
            r ->
                LeaseRights.mayCarry(
                    profile("leased"), Optional.of(GET_TEAM_Z.replace("/a/*", "/*")), GET_TEAM_Z),
            ALICE,
            true,
            "within its grant's"),
        row(
            "carry: wider than the grant's document",
            r -> LeaseRights.mayCarry(profile("leased"), Optional.of(GET_TEAM_Z), PUT_TEAM_Z),
            ALICE,
            false,
            "the lease's policy is not within its grant's: "),
        row(
            "carry: within the profile's fixed policy",
            r -> LeaseRights.mayCarry(profile("fixed"), Optional.empty(), GET_TEAM_Z),
            ALICE,
            true,
            "within"),
        row(
            "carry: outside the profile's fixed policy",
            r -> LeaseRights.mayCarry(profile("fixed"), Optional.empty(), PUT_TEAM_Z),
            ALICE,
            false,
            "not within its grant's"),
        row(
            "carry: no narrowing, the role is the ceiling",
            r -> LeaseRights.mayCarry(profile("leased"), Optional.empty(), PUT_TEAM_Z),
            ALICE,
            true,
            "within"),
        row(
            "carry: managed policies alone",
            r -> LeaseRights.mayCarry(profile("managed"), Optional.empty(), GET_TEAM_Z),
            ALICE,
            false,
            "narrowed by managed session policies (session_policy_arns)"),
        row(
            "use: nobody suspended",
            r -> LeaseRights.mayUse("holder", alice, "leased", Optional.empty()),
            ALICE,
            true,
            "is not suspended from profile leased"),
        row(
            "use: a suspended holder",
            r -> LeaseRights.mayUse("holder", alice, "leased", Optional.of(held)),
            ALICE,
            false,
            "the lease's holder alice of https://login.example.com was suspended from profile leased by access review rev_1 at 2026-03-04T12:00:00Z"),
        row(
            "use: a suspended agent, whoever asks",
            r -> LeaseRights.mayUse("agent", AGENT, "leased", Optional.of(held)),
            ADMIN,
            false,
            "the lease's agent agent-7"),
        row(
            "vote: an approver on a lease naming no agent",
            r -> r.mayVote(Optional.empty()),
            LEAD,
            true,
            "not the lease's agent"),
        row(
            "vote: the agent it names",
            r -> r.mayVote(Optional.of(LEAD.person())),
            LEAD,
            false,
            "you cannot vote on a lease that names you as its agent"),
        row(
            "vote: the agent's email at another issuer",
            r -> r.mayVote(Optional.of(AGENT_BY_EMAIL)),
            person("agent-7", "agent@example.com", List.of("leads")),
            false,
            "names you as its agent"),
        row(
            "revoke: the holder",
            r -> LeaseRights.mayRevoke(grantRights(ALICE), "lse_1"),
            ALICE,
            true,
            "their own grant"),
        row(
            "revoke: an approver",
            r -> LeaseRights.mayRevoke(grantRights(LEAD), "lse_1"),
            LEAD,
            true,
            "an approver of profile 'leased'"),
        row(
            "revoke: an admin",
            r -> LeaseRights.mayRevoke(grantRights(ADMIN), "lse_1"),
            ADMIN,
            true,
            "an admin may revoke"),
        row(
            "revoke: anyone else",
            r -> LeaseRights.mayRevoke(grantRights(STRANGER), "lse_1"),
            STRANGER,
            false,
            "you may not revoke lease lse_1 (only its requester"),
        row(
            "mint as agent: the agent named",
            r -> r.mayMintAsAgent("lse_1", Optional.of(AGENT)),
            principal(AGENT),
            true,
            "the agent lease lse_1 names"),
        row(
            "mint as agent: a lease naming none",
            r -> r.mayMintAsAgent("lse_1", Optional.empty()),
            principal(AGENT),
            false,
            "lease lse_1 does not name you as its agent"),
        row(
            "mint as agent: the same email elsewhere",
            r -> r.mayMintAsAgent("lse_1", Optional.of(AGENT)),
            principal(AGENT_BY_EMAIL),
            false,
            "does not name you"),
        row(
            "mint as agent: the holder is no agent",
            r -> r.mayMintAsAgent("lse_1", Optional.of(AGENT)),
            ALICE,
            false,
            "does not name you"),
        row(
            "mint: live, its grant active",
            r -> LeaseRights.mayMint(live(ACTIVE), Optional.of(profile("leased"))),
            ALICE,
            true,
            "lease lse_1 mints"),
        row(
            "mint: the grant gone",
            r -> LeaseRights.mayMint(live(Optional.empty()), Optional.of(profile("leased"))),
            ALICE,
            false,
            "the grant of lease lse_1 is gone"),
        row(
            "mint: the profile gone",
            r -> LeaseRights.mayMint(live(ACTIVE), Optional.empty()),
            ALICE,
            false,
            "profile 'leased' is no longer in the policy"),
        row(
            "mint: leases no longer allowed",
            r -> LeaseRights.mayMint(live(ACTIVE), Optional.of(profile("unleased"))),
            ALICE,
            false,
            "profile 'unleased' allows no leases any more"),
        row(
            "mint: the lease expired",
            r ->
                LeaseRights.mayMint(
                    new LeaseRights.AtMint("lse_1", "expired", false, ACTIVE),
                    Optional.of(profile("leased"))),
            ALICE,
            false,
            "lease lse_1 is expired"),
        row(
            "mint: the lease revoked",
            r ->
                LeaseRights.mayMint(
                    new LeaseRights.AtMint("lse_1", "revoked", false, ACTIVE),
                    Optional.of(profile("leased"))),
            ALICE,
            false,
            "lease lse_1 is revoked"),
        row(
            "mint: the grant no longer active",
            r ->
                LeaseRights.mayMint(
                    live(Optional.of(new LeaseRights.LeasedGrant("grt_1", "leased", false))),
                    Optional.of(profile("leased"))),
            ALICE,
            false,
            "grant grt_1 of lease lse_1 is not active"));
  }

  static Principal principal(Person p) {
    return new Principal(
        "corp",
        p.issuer(),
        p.subject(),
        p.email(),
        List.of(),
        java.util.Map.of("sub", p.subject()),
        NOON.plusSeconds(3600),
        Optional.empty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answers(
      String name,
      Function<LeaseRights, Decision> asked,
      Principal caller,
      boolean allowed,
      String reason) {
    Decision d = asked.apply(of(caller));
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    assertThat(d.reason()).contains(reason);
  }

  @Test
  void aFormTheProofCannotJudgeIsNoAnswer() {
    assertThatThrownBy(
            () -> LeaseRights.mayCarry(profile("leased"), Optional.empty(), "{\"not\":1}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A "no" is raised as forbidden with its reason; a "yes" raises nothing and refuses nothing. */
  @Test
  void aRefusalIsForbiddenWithTheReason() {
    Decision no = of(STRANGER).mayCreate(profile("leased"), "grt_1", ALICE.person());
    assertThatThrownBy(no::orRefuse)
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
              assertThat(e.detail()).isEqualTo("only the holder of grant grt_1 leases it");
            });
    assertThat(no.refusal().code()).isEqualTo(ErrorCode.FORBIDDEN);
    Decision yes = of(ALICE).mayCreate(profile("leased"), "grt_1", ALICE.person());
    yes.orRefuse();
    assertThatThrownBy(yes::refusal).isInstanceOf(IllegalStateException.class);
  }
}
