package dev.stint.rightsize;

import dev.stint.access.Caller;
import dev.stint.activity.ProfileCalls;
import dev.stint.audit.AuditLog;
import dev.stint.common.AwsSessionPolicy;
import dev.stint.error.StintException;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Right-sizing a profile from evidence (docs/policies.md), for the API, the CLI and the pages: its
 * suggestion, for the policy's auditors and admins only (anyone else refused and recorded, {@code
 * suggestion.refused}, before the profile or the window is read); and what today's policy allows
 * that nobody used, for a page that has already decided its reader may see the profile's usage (an
 * access review's).
 */
public final class Suggestions {
  /** The window when none is given. */
  public static final String DEFAULT_SINCE = "90d";

  static final String REFUSED = "suggestion.refused";

  /** What a profile without its own session policy allows: whatever its role does. */
  private static final String THE_ROLE =
      "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]";

  private final ProfileCalls calls;
  private final IamActions mapping;
  private final PolicyInForce policies;
  private final AuditLog audit;
  private final Clock clock;

  public Suggestions(
      ProfileCalls calls, IamActions mapping, PolicyInForce policies, AuditLog audit, Clock clock) {
    this.calls = calls;
    this.mapping = mapping;
    this.policies = policies;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * {@code profile}'s suggestion over its calls from {@code since} on (read only once the caller
   * may have it: a bad window is an auditor's to hear of). Forbidden for anyone but an auditor or
   * admin, not found for a profile the policy does not have, invalid for one that is not AWS's or a
   * bad window: each refusal recorded ({@code suggestion.refused}).
   */
  public Future<Suggestion> of(Caller caller, String profile, Supplier<Instant> since) {
    Instant now = clock.instant();
    PolicyEvaluator evaluator = policies.evaluator();
    if (!evaluator.isAuditor(caller.principal(), now)
        && !evaluator.isAdmin(caller.principal(), now)) {
      return refused(
          caller,
          profile,
          StintException.forbidden("a profile's suggestion is for auditors and admins"));
    }
    return Future.succeededFuture()
        .map(x -> profile(profile))
        .compose(p -> suggest(p, day(since.get())))
        .recover(
            e ->
                e instanceof StintException refusal
                    ? refused(caller, profile, refusal)
                    : Future.failedFuture(e));
  }

  /**
   * Today's Allow action patterns no allowed call of {@code profile} matched since {@code since}.
   */
  public Future<List<String>> unused(String profile, Instant since) {
    return Future.succeededFuture()
        .map(x -> profile(profile))
        .compose(p -> suggest(p, day(since)))
        .map(Suggestion::unused);
  }

  /** The profile in force, if it is one whose sessions take a session policy (AWS's). */
  private Profile profile(String name) {
    Profile p =
        policies
            .current()
            .profile(name)
            .orElseThrow(() -> StintException.notFound("no profile named " + name));
    if (!p.takesSessionPolicy()) {
      throw StintException.invalid(
          "profile " + name + " takes no session policy: suggestions are for AWS profiles");
    }
    return p;
  }

  private static Instant day(Instant since) {
    return LocalDate.ofInstant(since, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private Future<Suggestion> suggest(Profile profile, Instant since) {
    Optional<String> today = today(profile);
    return calls
        .since(profile.name(), since)
        .map(
            seen -> {
              List<Suggestion.Observed> observed = Evidence.observed(seen.calls(), mapping);
              List<String> notes = new ArrayList<>();
              long unread = Evidence.unread(seen.calls(), mapping);
              if (unread > 0) {
                notes.add(unread + " allowed calls were not AWS calls stint reads as IAM actions");
              }
              if (observed.isEmpty()) {
                notes.add(
                    "no call the cloud allowed was seen for profile "
                        + profile.name()
                        + " since "
                        + since
                        + ": nothing to suggest yet");
                return empty(profile, since, seen, today, notes);
              }
              String statements = SuggestedPolicy.statements(observed);
              int chars = profile.sessionPolicyChars(statements);
              if (chars > AwsSessionPolicy.MAX_CHARS) {
                notes.add(
                    "the suggestion makes a session policy of "
                        + chars
                        + " characters, more than STS takes ("
                        + AwsSessionPolicy.MAX_CHARS
                        + "): join resources under a prefix before using it");
              }
              return new Suggestion(
                  profile.name(),
                  since,
                  seen.grants(),
                  seen.total(),
                  observed,
                  Optional.of(statements),
                  today,
                  SuggestedPolicy.contained(statements, today, noToday(profile)),
                  SuggestedPolicy.covers(statements, observed),
                  today.map(t -> SuggestedPolicy.unused(t, observed)).orElse(List.of()),
                  notes);
            });
  }

  private static Suggestion empty(
      Profile profile,
      Instant since,
      ProfileCalls.Seen seen,
      Optional<String> today,
      List<String> notes) {
    Suggestion.Proof nothing =
        new Suggestion.Proof(false, Optional.of("nothing was observed to suggest"));
    return new Suggestion(
        profile.name(),
        since,
        seen.grants(),
        seen.total(),
        List.of(),
        Optional.empty(),
        today,
        nothing,
        nothing,
        today.map(t -> SuggestedPolicy.unused(t, List.of())).orElse(List.of()),
        notes);
  }

  /**
   * Today's statements as stint reads them: the profile's own (a narrowed profile's template, with
   * its placeholders), else the role's whole when nothing narrows it; empty when only managed
   * session policies narrow it, which stint cannot read.
   */
  private static Optional<String> today(Profile profile) {
    Optional<String> written = profile.writtenSessionStatements();
    if (written.isPresent()) {
      return written;
    }
    return profile.narrowedByManagedPolicies() ? Optional.empty() : Optional.of(THE_ROLE);
  }

  private static String noToday(Profile profile) {
    return "profile "
        + profile.name()
        + " is narrowed by managed session policies (session_policy_arns), which stint cannot"
        + " read: nothing is proven inside them";
  }

  private <T> Future<T> refused(Caller caller, String profile, StintException why) {
    return audit
        .append(
            caller
                .event(REFUSED)
                .outcome("refused")
                .reason(why.detail())
                .profile(profile)
                .detail("code", why.code().code())
                .build())
        .transform(done -> Future.failedFuture(why));
  }
}
