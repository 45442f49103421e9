package dev.stint.policy;

import dev.stint.common.Durations;
import dev.stint.identity.Person;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What nobody may do with a grant's extensions, whoever asks, each answer a decision with its
 * reason: extend under a profile without an {@code extension:} rule, ask for another's grant,
 * extend a grant a CI rule opened, make a grant last past the rule's {@code max_total} from its
 * start, withdraw an approval unless stint does. Whether the caller may ask, approve, deny or
 * cancel under the policy is their rights on the request ({@link RequestRights#mayExtend}, {@code
 * mayApprove}, {@code mayDeny}, {@code mayCancel}); whether a vote may be cast, the request's vote
 * rules ({@code access.Vote}). Whether the grant is active and the ask well formed are the
 * extension's own rules ({@code extension.ExtensionMachine}).
 */
public final class ExtensionRights {
  private ExtensionRights() {}

  /** A profile without an {@code extension:} rule allows no extensions. */
  public static Decision mayExtendUnder(String profile, Optional<ExtensionRule> rule) {
    return rule.isPresent()
        ? Decision.allow("profile '" + profile + "' allows extensions")
        : Decision.deny(
            "profile '" + profile + "' does not allow extensions (it has no 'extension' rule)");
  }

  /** Only the grant's holder asks to extend it: an admin or an approver is no holder. */
  public static Decision mayAsk(Person asker, Person holder) {
    return asker.is(holder)
        ? Decision.allow("the grant's holder may ask to extend it")
        : Decision.deny("only the grant's holder can ask to extend it");
  }

  /**
   * A grant a CI rule opened ({@code ciRule} names it) is not extended. Its length is the rule's
   * {@code max_duration}, and it is used only by tokens that pass the rule again; people's
   * extension path checks neither, so through it a token of an issuer serving people and CI alike,
   * with the job's subject but not the rule's claims, could lengthen the grant. A job that needs
   * longer exchanges again.
   */
  public static Decision mayExtendGrantOf(Optional<String> ciRule) {
    return ciRule
        .map(
            name ->
                Decision.deny(
                    "this grant was opened by CI rule '"
                        + name
                        + "' and lasts as long as the rule allows;"
                        + " it is not extended (the job exchanges again)"))
        .orElseGet(() -> Decision.allow("a person's grant may be extended"));
  }

  /**
   * A grant from {@code startsAt} to {@code endsAt}, extended by {@code by}, never lasts longer
   * than {@code rule}'s {@code max_total} from its start; a refusal says how much is left.
   */
  public static Decision mayLast(
      Instant startsAt, Instant endsAt, Duration by, ExtensionRule rule, String profile) {
    Duration total = Duration.between(startsAt, endsAt.plus(by));
    if (total.compareTo(rule.maxTotal()) <= 0) {
      return Decision.allow(
          "the grant would last " + Durations.format(total) + ", within profile '" + profile + "'");
    }
    Duration room = rule.maxTotal().minus(Duration.between(startsAt, endsAt));
    return Decision.deny(
        "extending by "
            + Durations.format(by)
            + " would make the grant last "
            + Durations.format(total)
            + "; profile '"
            + profile
            + "' allows at most "
            + Durations.format(rule.maxTotal())
            + " from its start ("
            + (!room.isNegative() && !room.isZero() ? Durations.format(room) : "nothing")
            + " left to extend)");
  }

  /**
   * Only stint withdraws an approval from an extension ({@code byStint}), when the directory
   * deprovisioned the one who gave it.
   */
  public static Decision mayWithdrawVote(boolean byStint) {
    return byStint
        ? Decision.allow("stint withdraws a leaver's approval")
        : Decision.deny("only stint withdraws a vote");
  }
}
