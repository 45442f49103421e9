package dev.stint.extension;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Act;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.error.ErrorCode;
import dev.stint.identity.Person;
import dev.stint.policy.ExtensionRule;
import dev.stint.policy.ReasonRule;
import dev.stint.testing.Requests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Extension limits and approval as tables: every refusal, and what each success changes. */
class ExtensionMachineTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final Person ALICE = new Person("corp", "alice", Optional.of("alice@example.com"));
  static final Person ALICE_BY_EMAIL = new Person("other", "a-1", Optional.of("alice@example.com"));
  static final Person BOB = new Person("corp", "bob", Optional.empty());
  static final Person CAROL = new Person("corp", "carol", Optional.empty());
  static final Optional<ExtensionRule> RULE =
      Optional.of(new ExtensionRule(Duration.ofHours(3), ExtensionRule.Approval.REQUIRED));
  static final Instant NOW = T0.plus(Duration.ofMinutes(30));

  /** Alice's grant for [T0, T0 + 1h), approved; revoked when asked. */
  static AccessRequest grant(boolean revoked) {
    Grant g =
        new Grant(
            "grt_1",
            "req_1",
            "prod",
            ALICE,
            T0,
            T0.plus(Duration.ofHours(1)),
            false,
            revoked
                ? Optional.of(new Grant.Revocation(ALICE, NOW.minusSeconds(60)))
                : Optional.empty(),
            Optional.empty(),
            Narrowed.NONE);
    return Requests.inState("req_1", revoked ? RequestState.REVOKED : RequestState.APPROVED)
        .profile("prod")
        .requester(ALICE)
        .duration(Duration.ofHours(1))
        .at(T0)
        .version(1)
        .grant(g)
        .build();
  }

  static ExtensionMachine.ExtensionAsk ask(
      AccessRequest r,
      Person who,
      Duration by,
      Optional<ExtensionRule> rule,
      Optional<String> pending,
      boolean auto) {
    return new ExtensionMachine.ExtensionAsk(
        r, who, by, "more time", rule, pending, 2, auto, ReasonRule.NONE);
  }

  static ExtensionMachine.ExtensionAsk withReason(String reason, ReasonRule rule) {
    return new ExtensionMachine.ExtensionAsk(
        grant(false), ALICE, Duration.ofHours(1), reason, RULE, Optional.empty(), 2, false, rule);
  }

  static Stream<Arguments> askRefusals() {
    Duration h = Duration.ofHours(1);
    return Stream.of(
        Arguments.of(
            "profile without extension rule",
            ask(grant(false), ALICE, h, Optional.empty(), Optional.empty(), false),
            NOW,
            ErrorCode.FORBIDDEN,
            "profile 'prod' does not allow extensions"),
        Arguments.of(
            "someone else's grant",
            ask(grant(false), BOB, h, RULE, Optional.empty(), false),
            NOW,
            ErrorCode.FORBIDDEN,
            "only the grant's holder"),
        Arguments.of(
            "revoked grant",
            ask(grant(true), ALICE, h, RULE, Optional.empty(), false),
            NOW,
            ErrorCode.CONFLICT,
            "is not active"),
        Arguments.of(
            "ended grant",
            ask(grant(false), ALICE, h, RULE, Optional.empty(), false),
            T0.plus(Duration.ofMinutes(61)),
            ErrorCode.CONFLICT,
            "is not active"),
        Arguments.of(
            "zero duration",
            ask(grant(false), ALICE, Duration.ZERO, RULE, Optional.empty(), false),
            NOW,
            ErrorCode.INVALID_REQUEST,
            "must be positive"),
        Arguments.of(
            "one already pending",
            ask(grant(false), ALICE, h, RULE, Optional.of("ext_a"), false),
            NOW,
            ErrorCode.CONFLICT,
            "extension ext_a of this grant is still pending"),
        Arguments.of(
            "beyond max_total",
            ask(grant(false), ALICE, Duration.ofMinutes(121), RULE, Optional.empty(), false),
            NOW,
            ErrorCode.FORBIDDEN,
            "extending by 2h1m would make the grant last 3h1m; profile 'prod' allows at most 3h from its start (2h left to extend)"),
        Arguments.of(
            "profile requires a reason",
            withReason("", new ReasonRule(true, Optional.empty())),
            NOW,
            ErrorCode.INVALID_REQUEST,
            "profile 'prod' requires a reason"),
        Arguments.of(
            "reason misses the pattern",
            withReason("more", new ReasonRule(true, Optional.of(Pattern.compile("^INC-")))),
            NOW,
            ErrorCode.INVALID_REQUEST,
            "does not match the pattern ^INC-"),
        Arguments.of(
            "auto approval does not lift max_total",
            ask(grant(false), ALICE, Duration.ofHours(3), RULE, Optional.empty(), true),
            NOW,
            ErrorCode.FORBIDDEN,
            "allows at most 3h"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("askRefusals")
  void askIsRefused(
      String name, ExtensionMachine.ExtensionAsk a, Instant now, ErrorCode code, String why) {
    ExtensionMachine.Result r = ExtensionMachine.ask(a, "ext_1", now);
    assertThat(r)
        .isInstanceOfSatisfying(
            ExtensionMachine.Refused.class,
            refused -> {
              assertThat(refused.code()).isEqualTo(code);
              assertThat(refused.reason()).contains(why);
            });
  }

  @Test
  void anExtensionUpToMaxTotalWaitsForApprovalAndMovesNothing() {
    var r =
        (ExtensionMachine.Changed)
            ExtensionMachine.ask(
                ask(grant(false), ALICE, Duration.ofHours(2), RULE, Optional.empty(), false),
                "ext_1",
                NOW);
    assertThat(r.eventType()).isEqualTo("grant.extension_requested");
    assertThat(r.extension().state()).isEqualTo(Extension.State.PENDING);
    assertThat(r.extension().approvalsRequired()).isEqualTo(2);
    assertThat(r.newGrantEnd()).isEmpty();
  }

  @Test
  void anAutoApprovedExtensionMovesTheEndAtOnce() {
    var r =
        (ExtensionMachine.Changed)
            ExtensionMachine.ask(
                ask(grant(false), ALICE, Duration.ofMinutes(30), RULE, Optional.empty(), true),
                "ext_1",
                NOW);
    assertThat(r.eventType()).isEqualTo("grant.extended");
    assertThat(r.extension().state()).isEqualTo(Extension.State.APPROVED);
    assertThat(r.extension().approvalsRequired()).isZero();
    assertThat(r.newGrantEnd()).contains(T0.plus(Duration.ofMinutes(90)));
  }

  static Extension pending(int required) {
    return new Extension(
        "ext_1",
        "grt_1",
        "req_1",
        "prod",
        ALICE,
        Duration.ofHours(1),
        "more",
        required,
        Extension.State.PENDING,
        List.of(),
        NOW,
        NOW,
        0);
  }

  static Act act(Person who) {
    return new Act(who, NOW.plusSeconds(60), Optional.empty());
  }

  static Stream<Arguments> decisionRefusals() {
    Extension voted =
        ((ExtensionMachine.Changed)
                ExtensionMachine.approve(pending(2), grant(false), act(BOB), true, RULE))
            .extension();
    Extension denied =
        ((ExtensionMachine.Changed) ExtensionMachine.deny(pending(1), act(BOB), true)).extension();
    Optional<ExtensionRule> shrunk =
        Optional.of(new ExtensionRule(Duration.ofMinutes(90), ExtensionRule.Approval.REQUIRED));
    return Stream.of(
        Arguments.of(
            "the requester approves",
            ExtensionMachine.approve(pending(1), grant(false), act(ALICE), true, RULE),
            ErrorCode.FORBIDDEN,
            "you cannot approve your own extension"),
        Arguments.of(
            "the requester under another issuer",
            ExtensionMachine.approve(pending(1), grant(false), act(ALICE_BY_EMAIL), true, RULE),
            ErrorCode.FORBIDDEN,
            "your own extension"),
        Arguments.of(
            "not an approver",
            ExtensionMachine.approve(pending(1), grant(false), act(BOB), false, RULE),
            ErrorCode.FORBIDDEN,
            "not an approver for profile prod"),
        Arguments.of(
            "approves twice",
            ExtensionMachine.approve(voted, grant(false), act(BOB), true, RULE),
            ErrorCode.CONFLICT,
            "already decided"),
        Arguments.of(
            "already denied",
            ExtensionMachine.approve(denied, grant(false), act(CAROL), true, RULE),
            ErrorCode.CONFLICT,
            "extension is denied, not pending"),
        Arguments.of(
            "grant revoked meanwhile",
            ExtensionMachine.approve(pending(1), grant(true), act(BOB), true, RULE),
            ErrorCode.CONFLICT,
            "is not active"),
        Arguments.of(
            "rule removed meanwhile",
            ExtensionMachine.approve(pending(1), grant(false), act(BOB), true, Optional.empty()),
            ErrorCode.CONFLICT,
            "no longer allows extensions"),
        Arguments.of(
            "max_total lowered meanwhile",
            ExtensionMachine.approve(pending(1), grant(false), act(BOB), true, shrunk),
            ErrorCode.FORBIDDEN,
            "allows at most 1h30m"),
        Arguments.of(
            "the requester denies",
            ExtensionMachine.deny(pending(1), act(ALICE), true),
            ErrorCode.FORBIDDEN,
            "cancel it instead"),
        Arguments.of(
            "someone else cancels",
            ExtensionMachine.cancel(pending(1), act(BOB)),
            ErrorCode.FORBIDDEN,
            "only the requester"),
        Arguments.of(
            "withdraw a vote as a person",
            ExtensionMachine.withdrawVote(voted, BOB, act(BOB)),
            ErrorCode.FORBIDDEN,
            "only stint"),
        Arguments.of(
            "withdraw a vote never cast",
            ExtensionMachine.withdrawVote(voted, CAROL, act(Act.SYSTEM)),
            ErrorCode.CONFLICT,
            "no approval of theirs"),
        Arguments.of(
            "withdraw a vote on a denied extension",
            ExtensionMachine.withdrawVote(denied, BOB, act(Act.SYSTEM)),
            ErrorCode.CONFLICT,
            "extension is denied, not pending"),
        Arguments.of(
            "expire while the grant is active",
            ExtensionMachine.expire(pending(1), grant(false), NOW),
            ErrorCode.CONFLICT,
            "still active"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisionRefusals")
  void decisionIsRefused(String name, ExtensionMachine.Result r, ErrorCode code, String why) {
    assertThat(r)
        .isInstanceOfSatisfying(
            ExtensionMachine.Refused.class,
            refused -> {
              assertThat(refused.code()).isEqualTo(code);
              assertThat(refused.reason()).contains(why);
            });
  }

  @Test
  void stintWithdrawsAVoteAndTheExtensionNeedsAnotherApprover() {
    Extension voted =
        ((ExtensionMachine.Changed)
                ExtensionMachine.approve(pending(2), grant(false), act(BOB), true, RULE))
            .extension();

    var c = (ExtensionMachine.Changed) ExtensionMachine.withdrawVote(voted, BOB, act(Act.SYSTEM));

    assertThat(c.eventType()).isEqualTo("approval.withdrawn");
    assertThat(c.extension().state()).isEqualTo(Extension.State.PENDING);
    assertThat(c.extension().votes()).isEmpty();
    assertThat(c.newGrantEnd()).isEmpty();
    assertThat(c.extension().version()).isEqualTo(voted.version() + 1);
  }

  @Test
  void theEndMovesOnlyWithTheLastRequiredApproval() {
    var first =
        (ExtensionMachine.Changed)
            ExtensionMachine.approve(pending(2), grant(false), act(BOB), true, RULE);
    assertThat(first.eventType()).isEqualTo("approval.recorded");
    assertThat(first.newGrantEnd()).isEmpty();
    assertThat(first.extension().state()).isEqualTo(Extension.State.PENDING);
    var second =
        (ExtensionMachine.Changed)
            ExtensionMachine.approve(first.extension(), grant(false), act(CAROL), true, RULE);
    assertThat(second.eventType()).isEqualTo("grant.extended");
    assertThat(second.extension().state()).isEqualTo(Extension.State.APPROVED);
    assertThat(second.newGrantEnd()).contains(T0.plus(Duration.ofHours(2)));
  }

  @Test
  void deniedCancelledAndExpiredExtensionsMoveNothing() {
    for (ExtensionMachine.Result r :
        List.of(
            ExtensionMachine.deny(pending(1), act(BOB), true),
            ExtensionMachine.cancel(pending(1), act(ALICE)),
            ExtensionMachine.expire(pending(1), grant(true), NOW))) {
      assertThat(((ExtensionMachine.Changed) r).newGrantEnd()).isEmpty();
    }
    assertThat(
            ((ExtensionMachine.Changed) ExtensionMachine.expire(pending(1), grant(true), NOW))
                .extension()
                .state())
        .isEqualTo(Extension.State.EXPIRED);
    assertThat(
            ((ExtensionMachine.Changed)
                    ExtensionMachine.expire(pending(1), grant(false), T0.plus(Duration.ofHours(1))))
                .eventType())
        .isEqualTo("grant.extension_expired");
  }
}
