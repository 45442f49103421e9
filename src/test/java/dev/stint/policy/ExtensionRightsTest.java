package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.identity.Person;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every "may" nobody is let past on a grant's extensions, allowed and refused, as one table. */
class ExtensionRightsTest {
  static final Instant START = Instant.parse("2026-03-04T12:00:00Z");
  static final Instant END = START.plus(Duration.ofHours(1));
  static final ExtensionRule FOUR_HOURS =
      new ExtensionRule(Duration.ofHours(4), ExtensionRule.Approval.REQUIRED);

  static final Person ALICE =
      new Person("https://login.example.com", "alice", Optional.of("alice@example.com"));

  /** Alice's email at another issuer: not Alice. */
  static final Person ALICE_ELSEWHERE =
      new Person("https://partner.example.com", "alice", Optional.of("alice@example.com"));

  static final Person PAT =
      new Person("https://login.example.com", "pat", Optional.of("pat@example.com"));

  static Arguments row(String name, Supplier<Decision> asked, boolean allowed, String why) {
    return Arguments.of(name, asked, allowed, why);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        row(
            "a profile with an extension rule",
            () -> ExtensionRights.mayExtendUnder("dev", Optional.of(FOUR_HOURS)),
            true,
            "profile 'dev' allows extensions"),
        row(
            "a profile without one",
            () -> ExtensionRights.mayExtendUnder("prod", Optional.empty()),
            false,
            "profile 'prod' does not allow extensions (it has no 'extension' rule)"),
        row(
            "ask: the holder",
            () -> ExtensionRights.mayAsk(ALICE, ALICE),
            true,
            "the grant's holder may ask"),
        row(
            "ask: anyone else, an admin too",
            () -> ExtensionRights.mayAsk(PAT, ALICE),
            false,
            "only the grant's holder can ask to extend it"),
        row(
            "ask: the holder's email at another issuer",
            () -> ExtensionRights.mayAsk(ALICE_ELSEWHERE, ALICE),
            false,
            "only the grant's holder can ask to extend it"),
        row(
            "a person's grant",
            () -> ExtensionRights.mayExtendGrantOf(Optional.empty()),
            true,
            "a person's grant may be extended"),
        row(
            "a CI job's grant",
            () -> ExtensionRights.mayExtendGrantOf(Optional.of("deploy")),
            false,
            "this grant was opened by CI rule 'deploy' and lasts as long as the rule allows;"
                + " it is not extended (the job exchanges again)"),
        row(
            "last: up to max_total from its start",
            () -> ExtensionRights.mayLast(START, END, Duration.ofHours(3), FOUR_HOURS, "dev"),
            true,
            "the grant would last 4h, within profile 'dev'"),
        row(
            "last: past max_total, with the room left",
            () -> ExtensionRights.mayLast(START, END, Duration.ofHours(4), FOUR_HOURS, "dev"),
            false,
            "extending by 4h would make the grant last 5h; profile 'dev' allows at most 4h from"
                + " its start (3h left to extend)"),
        row(
            "last: past max_total, no room left",
            () ->
                ExtensionRights.mayLast(
                    START,
                    START.plus(Duration.ofHours(4)),
                    Duration.ofMinutes(1),
                    FOUR_HOURS,
                    "dev"),
            false,
            "(nothing left to extend)"),
        row(
            "withdraw a vote: stint",
            () -> ExtensionRights.mayWithdrawVote(true),
            true,
            "stint withdraws"),
        row(
            "withdraw a vote: anyone else",
            () -> ExtensionRights.mayWithdrawVote(false),
            false,
            "only stint withdraws a vote"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answers(String name, Supplier<Decision> asked, boolean allowed, String reason) {
    Decision d = asked.get();
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    assertThat(d.reason()).contains(reason);
  }
}
