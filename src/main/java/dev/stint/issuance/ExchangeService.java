package dev.stint.issuance;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessService;
import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest;
import dev.stint.error.StintException;
import dev.stint.policy.CiRule;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /v1/exchange}: a CI job's OIDC token for a profile. The first CI rule whose issuer
 * and {@code when} match the token and that names the profile decides; its {@code jti} is
 * accepted once per rule; {@code approval: none} mints at once, {@code approval: required}
 * goes through a request that people approve, and mints once it is approved.
 */
public final class ExchangeService {
  private final IssuanceService issuance;
  private final AccessService access;
  private final PolicyStore policies;
  private final ReplayGuard replays;
  private final Clock clock;

  public ExchangeService(IssuanceService issuance, AccessService access, PolicyStore policies,
      ReplayGuard replays, Clock clock) {
    this.issuance = issuance;
    this.access = access;
    this.policies = policies;
    this.replays = replays;
    this.clock = clock;
  }

  /** Minted credentials, or the request that is waiting for approval. */
  public sealed interface Result {
    record Minted(Issued credential) implements Result {}

    record Pending(AccessRequest request) implements Result {}
  }

  public Future<Result> exchange(Caller caller, String profileName, Optional<Duration> requested) {
    Instant now = clock.instant();
    Policy policy = policies.current();
    PolicyEvaluator evaluator = new PolicyEvaluator(policy);
    Optional<CiRule> rule = evaluator.matchCi(caller.principal(), profileName, now);
    Optional<Profile> profile = policy.profile(profileName);
    if (rule.isEmpty() || profile.isEmpty()) {
      // The detailed reason (which rule did not match, and why) goes to the audit and the log;
      // the caller learns only that no rule allows this token.
      String why = evaluator.canExchange(caller.principal(), profileName, now).reason();
      return issuance.refuse(caller, profileName, StintException.forbidden(
          "no CI rule allows this token to exchange for profile '" + profileName + "'"), why);
    }
    // Before the replay record or any request: a job that could not use the credentials from
    // where it runs gets neither (as IssuanceService does for people).
    Optional<StintException> outside = IssuanceService.outsideNetworks(caller, profile.get());
    if (outside.isPresent()) {
      return issuance.refuse(caller, profileName, outside.get(), outside.get().getMessage());
    }
    return switch (rule.get().approval()) {
      case NONE -> checkReplay(caller, rule.get(), now)
          .compose(x -> mintForRule(caller, profile.get(), rule.get(), requested, now));
      case REQUIRED -> viaApproval(caller, profile.get(), rule.get(), requested, now);
    };
  }

  /**
   * The caller's own request (one it opened by exchanging), to follow its approval. As with the
   * exchange itself, only a token that the request's CI rule accepts now finds it: the subject
   * alone does not say which ref or workflow is asking.
   */
  public Future<AccessRequest> request(Caller caller, String id) {
    return access.get(caller, id).compose(r -> access.ciRuleOf(id).compose(opener -> {
      Optional<String> matched = new PolicyEvaluator(policies.current())
          .matchCi(caller.principal(), r.profile(), clock.instant()).map(CiRule::name);
      return r.requester().is(caller.person()) && opener.isPresent() && matched.equals(opener)
          ? Future.succeededFuture(r)
          : Future.<AccessRequest>failedFuture(StintException.notFound("no request " + id));
    }));
  }

  private Future<Void> checkReplay(Caller caller, CiRule rule, Instant now) {
    if (caller.principal().tokenId().isEmpty()) {
      // matchCi has already refused tokens without a jti for rules that demand one.
      return Future.succeededFuture();
    }
    return replays.firstUse(rule.name(), caller.principal(), now).compose(first -> first
        ? Future.<Void>succeededFuture()
        : issuance.refuse(caller, rule.profile(), StintException.forbidden(
            "this token has already been exchanged; request a new one"),
            "replayed jti for CI rule '" + rule.name() + "'"));
  }

  private Future<Result> mintForRule(Caller caller, Profile profile, CiRule rule,
      Optional<Duration> requested, Instant now) {
    Duration max = min(rule.maxDuration(), profile.maxDuration());
    IssuanceService.Basis basis = new IssuanceService.Basis("ci:" + rule.name(),
        Optional.empty(), now.plus(max), max, "CI rule '" + rule.name() + "'");
    return issuance.mint(caller, profile, basis, requested)
        .recover(e -> issuance.refuse(caller, profile.name(), e, e.getMessage()))
        .map(Result.Minted::new);
  }

  /**
   * With a grant approved under this same rule the job gets credentials, once per token like
   * any exchange; otherwise it gets its pending request under the rule (one per job identity,
   * profile and rule, however often it polls), or a new one. The token has just matched the
   * rule's {@code when}, so a grant is only ever used by a token the rule still accepts: a token
   * with the same subject but another ref, or one the rule no longer matches after a policy
   * change, finds nothing. Polling does not use up the token's jti; minting does.
   */
  private Future<Result> viaApproval(Caller caller, Profile profile, CiRule rule,
      Optional<Duration> requested, Instant now) {
    return access.activeGrantUnderCiRule(caller, profile.name(), rule.name()).compose(active -> {
      if (active.isPresent()) {
        Grant g = active.get();
        IssuanceService.Basis basis = new IssuanceService.Basis(g.id(),
            Optional.of(g.requestId()), g.endsAt(), min(rule.maxDuration(), profile.maxDuration()),
            "approved request under CI rule '" + rule.name() + "'");
        return checkReplay(caller, rule, now)
            .compose(x -> issuance.mint(caller, profile, basis, requested)
                .recover(e -> issuance.refuse(caller, profile.name(), e, e.getMessage())))
            .map(Result.Minted::new);
      }
      return access.pendingUnderCiRule(caller, profile.name(), rule.name())
          .compose(pending -> pending
          .map(r -> Future.<AccessRequest>succeededFuture(r))
          .orElseGet(() -> access.createForCi(caller, profile, new NewRequest(profile.name(),
              min(rule.maxDuration(), profile.maxDuration()),
              "CI rule '" + rule.name() + "' for " + caller.principal().subject(),
              Optional.empty(), Optional.empty(), false), rule.name()))
          .map(Result.Pending::new));
    });
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
