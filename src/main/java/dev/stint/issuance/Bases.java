package dev.stint.issuance;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.Grants;
import dev.stint.access.NewRequest;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.ParameterValues;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.policy.CiRule;
import dev.stint.policy.Policy;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Step 4 of {@link Issuance}: what a credential may be issued on, decided once, on the request's
 * policy snapshot.
 *
 * <ul>
 *   <li>A person: their active grant with the latest end; without one, an auto-approving profile
 *       approves a request for its maximum duration on the spot (recorded like any request).
 *   <li>A CI job under a rule with {@code approval: none}: the rule itself, once per token (under
 *       any rule: a token two rules accept still mints once).
 *   <li>A CI job under a rule with {@code approval: required}: a grant approved under that same
 *       rule, once per token; without one, its pending request under the rule (one per job
 *       identity, profile and rule, however often it polls), or a new one.
 * </ul>
 */
final class Bases {
  private final Grants access;
  private final ReplayGuard replays;
  private final AutoApprovals autoApprovals = new AutoApprovals();

  Bases(Grants access, ReplayGuard replays) {
    this.access = access;
    this.replays = replays;
  }

  /** A basis to mint on, or a CI job's request that is still waiting for approval. */
  sealed interface Found {
    record Ready(Basis basis) implements Found {}

    record Waiting(AccessRequest request) implements Found {}
  }

  Future<Found> establish(Policy policy, CredentialAsk ask, ProfileEntry entry, Instant now) {
    if (entry.rule().isEmpty()) {
      return forPerson(policy, ask.caller(), entry.profile(), ask.parameters());
    }
    CiRule rule = entry.rule().get();
    Duration max = min(rule.maxDuration(), entry.profile().maxDuration());
    return switch (rule.approval()) {
      case NONE -> byRule(ask.caller(), entry.profile(), rule, max, now);
      case REQUIRED -> viaApproval(ask.caller(), entry.profile(), rule, max, now);
    };
  }

  /**
   * A rule that needs no approval mints narrowed to the values it fixes, filled here as a request's
   * are when it is filed; a rule whose values its profile no longer takes mints nothing.
   */
  private Future<Found> byRule(
      Caller caller, Profile profile, CiRule rule, Duration max, Instant now) {
    Narrowed narrowed;
    try {
      narrowed = new Narrowed(rule.parameters(), profile.narrowedPolicy(rule.parameters()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(
          StintException.invalid(
              "CI rule '"
                  + rule.name()
                  + "' fixes parameters its profile does not take: "
                  + e.getMessage()));
    }
    return firstUse(caller, rule, now)
        .map(x -> (Found) new Found.Ready(new Basis.ByCiRule(rule, now.plus(max), max, narrowed)));
  }

  private Future<Found> forPerson(
      Policy policy, Caller caller, Profile profile, ParameterValues values) {
    return access
        .activeGrant(caller, profile.name(), values)
        .compose(
            active ->
                active.isPresent()
                    ? Future.succeededFuture(
                        new Found.Ready(
                            new Basis.Approved(
                                active.get(), profile.maxDuration(), Optional.empty())))
                    : autoApprove(policy, caller, profile, values));
  }

  /**
   * Without a grant, an auto-approving profile opens one request per burst of calls; whether it
   * auto-approves is the policy's answer, asked once, by the access service on this snapshot.
   */
  private Future<Found> autoApprove(
      Policy policy, Caller caller, Profile profile, ParameterValues values) {
    AutoApprovals.Key key =
        new AutoApprovals.Key(
            caller.person().issuer(), caller.person().subject(), profile.name(), values);
    NewRequest asked =
        new NewRequest(
            profile.name(),
            profile.maxDuration(),
            "auto-approved on credential request",
            Optional.empty(),
            Optional.empty(),
            false,
            Narrowed.asked(values));
    return autoApprovals
        .grant(
            key,
            () -> access.activeGrant(caller, profile.name(), values),
            () ->
                access
                    .createAutoApproved(caller, asked, policy)
                    .map(
                        r ->
                            r.grant()
                                .orElseThrow(
                                    () ->
                                        new StintException(
                                            ErrorCode.APPROVAL_REQUIRED,
                                            "no active grant for profile " + profile.name()))))
        .map(grant -> new Found.Ready(new Basis.AutoApproved(grant, profile.maxDuration())));
  }

  /**
   * The token has just matched the rule's {@code when}, so a grant is only ever used by a token the
   * rule still accepts: a token with the same subject but another ref, or one the rule no longer
   * matches after a policy change, finds nothing. Polling does not use up the token's jti; minting
   * does.
   */
  private Future<Found> viaApproval(
      Caller caller, Profile profile, CiRule rule, Duration max, Instant now) {
    return access
        .activeGrantUnderCiRule(caller, profile.name(), rule.name(), rule.parameters())
        .compose(
            active -> {
              if (active.isPresent()) {
                Grant grant = active.get();
                return firstUse(caller, rule, now)
                    .map(
                        x ->
                            (Found)
                                new Found.Ready(
                                    new Basis.Approved(grant, max, Optional.of(rule.name()))));
              }
              return access
                  .pendingUnderCiRule(caller, profile.name(), rule.name())
                  .compose(
                      pending ->
                          pending
                              .map(Future::succeededFuture)
                              .orElseGet(
                                  () ->
                                      access.createForCi(
                                          caller,
                                          profile,
                                          ciRequest(caller, profile, rule, max),
                                          rule.name())))
                  .map(Found.Waiting::new);
            });
  }

  /** What a CI job under a rule that needs approval asks for: narrowed as the rule fixes. */
  private static NewRequest ciRequest(Caller caller, Profile profile, CiRule rule, Duration max) {
    return new NewRequest(
        profile.name(),
        max,
        "CI rule '" + rule.name() + "' for " + caller.principal().subject(),
        Optional.empty(),
        Optional.empty(),
        false,
        Narrowed.asked(rule.parameters()));
  }

  /** A token's {@code jti} is spent when it mints, once whichever rule it meets. */
  private Future<Void> firstUse(Caller caller, CiRule rule, Instant now) {
    if (caller.principal().tokenId().isEmpty()) {
      // CiExchange.match has already refused tokens without a jti for rules that demand one.
      return Future.succeededFuture();
    }
    return replays
        .firstUse(rule.name(), caller.principal(), now)
        .compose(
            first ->
                first
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        new IssuanceEvent.Refusal(
                            StintException.forbidden(
                                "this token has already been exchanged; request a new one"),
                            "replayed jti for CI rule '" + rule.name() + "'")));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** How many auto-approvals are under way (for tests). */
  int autoApprovalsUnderWay() {
    return autoApprovals.underWay();
  }
}
