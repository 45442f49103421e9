package dev.stint.activity;

import dev.stint.mint.ActivityLookup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a pushed call agrees with what the credentials ledger recorded of the credential whose
 * key it names. The push's bearer token is all that stands behind a pushed record, and the key of a
 * session is no secret (CloudTrail writes it with every call), so whoever holds the token could
 * otherwise put any call on anyone's grant, and a finding's {@code end} would revoke it. A call is
 * bound to its credential when:
 *
 * <ul>
 *   <li>its time falls within the credential's life, from its issue to its expiry, with {@link
 *       #SKEW} either side for clocks that differ (stint's, STS's, CloudTrail's);
 *   <li>the account whose log holds it ({@code recipientAccountId}) is the account of the role the
 *       credential was minted on: a record without one is not bound;
 *   <li>the source identity its session carries, when the record has one, is the one stint set on
 *       the credential's session. A record without one is not refused for that: the source identity
 *       is no secret either (a hash of the person, then the grant id), so requiring it would stop
 *       no one who knows the key, while a genuine record of another session carries its own.
 * </ul>
 *
 * Pure.
 */
final class PushBinding {
  /** How far a call's time may fall outside its credential's life: clocks differ a little. */
  static final Duration SKEW = Duration.ofMinutes(5);

  /** {@code arn:PARTITION:iam::ACCOUNT:role/…}: the account of a role. */
  private static final Pattern ROLE_ACCOUNT = Pattern.compile("arn:[a-z-]+:iam::(\\d{12}):role/.+");

  private PushBinding() {}

  /** What a call said, against what the ledger recorded: never a secret. */
  record Disagreement(String field, String pushed, String recorded) {}

  /** What of {@code call} disagrees with {@code owner}, in the order above; empty when bound. */
  static List<Disagreement> of(ActivityLookup.Call call, IngestStore.Owner owner) {
    List<Disagreement> out = new ArrayList<>();
    Instant from = owner.issuedAt().minus(SKEW);
    Instant until = owner.expiresAt().plus(SKEW);
    if (call.time().isBefore(from) || call.time().isAfter(until)) {
      out.add(
          new Disagreement(
              "time", call.time().toString(), owner.issuedAt() + " to " + owner.expiresAt()));
    }
    Optional<String> account = account(owner.target());
    if (account.isEmpty() || !account.equals(call.account())) {
      out.add(
          new Disagreement(
              "account", call.account().orElse("none"), account.orElse(owner.target())));
    }
    Optional<String> carried = call.callerSourceIdentity();
    if (carried.isPresent() && !carried.equals(owner.sourceIdentity())) {
      out.add(
          new Disagreement(
              "source_identity", carried.get(), owner.sourceIdentity().orElse("none")));
    }
    return List.copyOf(out);
  }

  /** The account of role {@code arn}; empty for anything but a role's ARN. */
  static Optional<String> account(String arn) {
    Matcher m = ROLE_ACCOUNT.matcher(arn);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
