package dev.stint.cli;

import dev.stint.common.Durations;
import dev.stint.identity.Principal;
import dev.stint.identity.Principals;
import dev.stint.policy.Decision;
import dev.stint.policy.IssuerConfig;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestFacts;
import dev.stint.policy.Requester;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The questions {@code stint policy explain} and {@code stint policy test} put to a policy, asked
 * through the same {@link PolicyEvaluator} the server uses.
 */
final class PolicyQuestions {
  /** What can be asked; the names are those of policy test files. */
  enum Action { REQUEST, APPROVE, AUTO_APPROVE, EXCHANGE, AUDIT, ADMIN }

  /** Stands in for "somebody else" as the requester when asking whether one may approve. */
  static final Requester OTHER = new Requester("urn:stint:policy-test", "another-person",
      Optional.empty());

  private final Policy policy;
  private final PolicyEvaluator evaluator;

  PolicyQuestions(Policy policy) {
    this.policy = policy;
    this.evaluator = new PolicyEvaluator(policy);
  }

  /** The principal a token with these claims would become, issuer named or found by {@code iss}. */
  Principal principal(Optional<String> issuerName, Map<String, ?> claims) {
    IssuerConfig issuer = issuerName.map(name -> policy.issuer(name).orElseThrow(() ->
            new CliException(CliException.USAGE, "no issuer named '" + name + "' in the policy")))
        .or(() -> Optional.ofNullable(claims.get("iss")).map(String::valueOf)
            .flatMap(policy::issuerByUrl))
        .orElseThrow(() -> new CliException(CliException.USAGE,
            "the claims' iss is not a configured issuer; name one with --issuer"));
    return Principals.fromClaims(issuer, claims);
  }

  Profile profile(String name) {
    return policy.profile(name).orElseThrow(() ->
        new CliException(CliException.USAGE, "no profile named '" + name + "'"));
  }

  Decision ask(Action action, Principal p, Ask ask, Instant now) {
    return switch (action) {
      case REQUEST -> evaluator.canRequest(p, profile(ask.profile()), ask.facts(), now);
      case APPROVE -> evaluator.canApprove(p, profile(ask.profile()), ask.facts(),
          ask.requester(), now);
      case AUTO_APPROVE -> evaluator.autoApproves(p, profile(ask.profile()), ask.facts(), now);
      case EXCHANGE -> evaluator.canExchange(p, ask.profile(), now);
      case AUDIT -> role(evaluator.isAuditor(p, now), "auditors");
      case ADMIN -> role(evaluator.isAdmin(p, now), "admins");
    };
  }

  private static Decision role(boolean member, String role) {
    return member ? Decision.allow("among the " + role) : Decision.deny("not among the " + role);
  }

  /** One question's particulars; {@code facts} default to the profile's maximum duration. */
  record Ask(String profile, RequestFacts facts, Requester requester) {}

  /** Request facts with the profile's maximum as the default duration. */
  RequestFacts facts(String profile, Optional<String> duration, Optional<String> reason,
      boolean breakGlass) {
    var length = duration.map(Durations::parse).orElseGet(() ->
        policy.profile(profile).map(Profile::maxDuration).orElse(java.time.Duration.ofHours(1)));
    return new RequestFacts(length, reason, Optional.empty(), breakGlass);
  }
}
