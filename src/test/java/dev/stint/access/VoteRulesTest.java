package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.error.ErrorCode;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.policy.Policy;
import dev.stint.testing.PolicyFixtures;
import dev.stint.testing.Requests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The order of the vote rules, where a vote breaks more than one: each case is cast on a request
 * and on an extension of the same request, and both get the same refusal, in the words of what they
 * are.
 */
class VoteRulesTest {
  static final Instant NOW = Requests.AT.plus(Duration.ofMinutes(5));
  static final Policy POLICY =
      PolicyFixtures.load(
          """
      issuers:
        corp: {issuer: https://idp.test, audience: stint}
      profiles:
        prod:
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 2, approvers: 'principal.groups.exists(g, g == "leads")'}
          extension: {max_total: 4h, approval: required}
      """);
  static final Vote.Kind EXTENSION = new Vote.Kind("extension", "an extension");

  static Principal principal(String user, String... groups) {
    return new Principal(
        "corp",
        "https://idp.test",
        user,
        Optional.of(user + "@example.com"),
        List.of(groups),
        Map.of("sub", user),
        NOW.plusSeconds(3600),
        Optional.empty());
  }

  /** Bob, who approved, and is no lead any more. */
  static final Principal BOB_LEFT_LEADS = principal("bob");

  static final Principal CAROL = principal("carol", "leads");

  static Vote approvedBy(Principal p) {
    return new Vote(p.person(), Vote.Decision.APPROVE, Optional.empty(), NOW.minusSeconds(60));
  }

  /** What Alice asked for, pending, with {@code votes}: a request, or an extension of one. */
  static Vote.Subject subject(Vote.Kind kind, List<Vote> votes) {
    AccessRequest r = Requests.pending("req_1").profile("prod").votes(votes).build();
    return kind == Vote.Kind.REQUEST
        ? r.voteSubject()
        : new Vote.Subject(kind, true, "pending", Requests.ALICE, "prod", votes);
  }

  static Optional<Vote.Refusal> cast(
      Vote.Kind kind, Action action, Principal voter, List<Vote> votes) {
    AccessRequest r = Requests.pending("req_1").profile("prod").votes(votes).build();
    return Vote.refusal(
        subject(kind, votes),
        action,
        voter.person(),
        new AccessRules(POLICY, NOW).rights(voter, r));
  }

  static Stream<Arguments> cases() {
    Person alice = Requests.ALICE;
    Principal aliceAsLead =
        new Principal(
            "corp",
            alice.issuer(),
            alice.subject(),
            alice.email(),
            List.of("leads"),
            Map.of(),
            NOW.plusSeconds(3600),
            Optional.empty());
    return Stream.of(
        Arguments.of(
            "a second vote after leaving the approvers is a conflict, not a new question",
            Action.DENY,
            BOB_LEFT_LEADS,
            List.of(approvedBy(BOB_LEFT_LEADS)),
            ErrorCode.CONFLICT,
            "you have already decided on this %1$s"),
        Arguments.of(
            "the asker, a lead, on their own",
            Action.APPROVE,
            aliceAsLead,
            List.of(),
            ErrorCode.FORBIDDEN,
            "you cannot approve your own %1$s"),
        Arguments.of(
            "no lead",
            Action.APPROVE,
            principal("dave"),
            List.of(),
            ErrorCode.FORBIDDEN,
            "you are not an approver for profile prod"),
        Arguments.of(
            "a lead cancels",
            Action.CANCEL,
            CAROL,
            List.of(),
            ErrorCode.FORBIDDEN,
            "only the requester can cancel %2$s"),
        Arguments.of(
            "revoke is no vote",
            Action.REVOKE,
            CAROL,
            List.of(),
            ErrorCode.INVALID_REQUEST,
            "%2$s can be approved, denied or cancelled"));
  }

  /** {@code reason} names what is voted on: {@code %1$s} its noun, {@code %2$s} with an article. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aRequestAndAnExtensionAreRefusedAlike(
      String name,
      Action action,
      Principal voter,
      List<Vote> votes,
      ErrorCode code,
      String reason) {
    for (Vote.Kind kind : List.of(Vote.Kind.REQUEST, EXTENSION)) {
      assertThat(cast(kind, action, voter, votes))
          .as(kind.noun())
          .contains(new Vote.Refusal(code, reason.formatted(kind.noun(), kind.withArticle())));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aLeadWhoHasNotVotedMayVote(Vote.Kind kind) {
    assertThat(cast(kind, Action.APPROVE, CAROL, List.of(approvedBy(BOB_LEFT_LEADS)))).isEmpty();
    assertThat(cast(kind, Action.DENY, CAROL, List.of())).isEmpty();
  }

  static Stream<Vote.Kind> kinds() {
    return Stream.of(Vote.Kind.REQUEST, EXTENSION);
  }
}
