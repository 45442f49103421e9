package dev.stint.cli.policy;

import dev.stint.cli.CliException;
import dev.stint.common.Durations;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.identity.Principals;
import dev.stint.policy.CiExchange;
import dev.stint.policy.Decision;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FiledRequest;
import dev.stint.policy.IssuerConfig;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestFacts;
import dev.stint.policy.RequestRights;
import dev.stint.policy.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The questions {@code stint policy explain} and {@code stint policy test} put to a policy, asked
 * through the same {@link PolicyEvaluator} the server uses.
 */
final class PolicyQuestions {
  /**
   * What can be asked; the names are those of policy test files. The request actions (see, approve,
   * deny, cancel, revoke, review, extend) are about a request already made by {@link
   * Question#requester}.
   */
  enum Action {
    REQUEST,
    AUTO_APPROVE,
    SEE,
    APPROVE,
    DENY,
    CANCEL,
    REVOKE,
    REVIEW,
    EXTEND,
    SKIP,
    EXCHANGE,
    READ_AUDIT,
    AUDIT,
    ADMIN;

    /** {@code read_audit} or {@code read-audit}, any case. */
    static Action of(String name) {
      try {
        return valueOf(name.replace('-', '_').toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown action '"
                + name
                + "' (one of "
                + Arrays.stream(values()).map(Action::code).collect(Collectors.joining(", "))
                + ")");
      }
    }

    String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Stands in for "somebody else" as the requester when asking about a request. */
  static final Person OTHER =
      new Person("urn:stint:policy-test", "another-person", Optional.empty());

  private final Policy policy;
  private final PolicyEvaluator evaluator;

  PolicyQuestions(Policy policy) {
    this.policy = policy;
    this.evaluator = new PolicyEvaluator(policy);
  }

  /** The principal a token with these claims would become, issuer named or found by {@code iss}. */
  Principal principal(Optional<String> issuerName, Map<String, ?> claims) {
    IssuerConfig issuer =
        issuerName
            .map(
                name ->
                    policy
                        .issuer(name)
                        .orElseThrow(
                            () ->
                                new CliException(
                                    CliException.USAGE,
                                    "no issuer named '" + name + "' in the policy")))
            .or(
                () ->
                    Optional.ofNullable(claims.get("iss"))
                        .map(String::valueOf)
                        .flatMap(policy::issuerByUrl))
            .orElseThrow(
                () ->
                    new CliException(
                        CliException.USAGE,
                        "the claims' iss is not a configured issuer; name one with --issuer"));
    return Principals.fromClaims(issuer, claims);
  }

  Profile profile(String name) {
    return policy
        .profile(name)
        .orElseThrow(() -> new CliException(CliException.USAGE, "no profile named '" + name + "'"));
  }

  Decision ask(Action action, Principal p, Question ask, Instant now) {
    return switch (action) {
      case REQUEST -> evaluator.canRequest(p, profile(ask.profile()), ask.facts(), now);
      case AUTO_APPROVE -> evaluator.autoApproves(p, profile(ask.profile()), ask.facts(), now);
      case SEE -> rights(p, ask, now).maySee();
      case APPROVE -> rights(p, ask, now).mayApprove();
      case DENY -> rights(p, ask, now).mayDeny();
      case CANCEL -> rights(p, ask, now).mayCancel();
      case REVOKE -> rights(p, ask, now).mayRevoke();
      case REVIEW -> rights(p, ask, now).mayReview();
      case EXTEND -> rights(p, ask, now).mayExtend();
      case SKIP -> skips(p, ask, now);
      case EXCHANGE -> new CiExchange(policy).canExchange(p, ask.profile(), now);
      case READ_AUDIT -> evaluator.mayReadAudit(p, now);
      case AUDIT -> role(evaluator.isAuditor(p, now), "auditors");
      case ADMIN -> role(evaluator.isAdmin(p, now), "admins");
    };
  }

  /**
   * What {@code p} may do with the asked-about request; its profile must exist. The request waits
   * in the stage asked about (the first, when none is named): its approvers decide, the later ones
   * wait.
   */
  private RequestRights rights(Principal p, Question ask, Instant now) {
    Profile profile = profile(ask.profile());
    Instant filed = now.minus(ask.age());
    List<String> names = profile.approval().stages().stream().map(Stage::name).toList();
    String open = stageNamed(profile, ask.stage().orElse(names.get(0))).name();
    FiledRequest.OpenStage stage =
        new FiledRequest.OpenStage(
            open, filed, names.subList(names.indexOf(open) + 1, names.size()));
    return evaluator.rights(
        p,
        new FiledRequest(ask.requester(), ask.profile(), ask.facts(), filed, Optional.of(stage)),
        now);
  }

  /** Whether the stage asked about is skipped for a request {@code p} files. */
  private Decision skips(Principal p, Question ask, Instant now) {
    Profile profile = profile(ask.profile());
    Stage stage =
        stageNamed(
            profile,
            ask.stage()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "skip asks about one stage: name it with stage:")));
    if (stage.skipIf().isEmpty()) {
      return Decision.deny("stage '" + stage.name() + "' has no skip_if");
    }
    return evaluator.skips(p, profile, stage, ask.facts(), now)
        ? Decision.allow("stage '" + stage.name() + "' is skipped: its skip_if holds")
        : Decision.deny("stage '" + stage.name() + "' is not skipped: its skip_if does not hold");
  }

  private static Stage stageNamed(Profile profile, String name) {
    return profile
        .approval()
        .stage(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "profile '" + profile.name() + "' has no stage named '" + name + "'"));
  }

  /**
   * A requester other than {@code p}: {@code sub} and {@code email} as given, the issuer named (its
   * URL, as a stored request keeps it) or else {@code p}'s own.
   */
  Person requester(
      Principal p, Optional<String> issuerName, String subject, Optional<String> email) {
    String issuer =
        issuerName
            .map(
                name ->
                    policy
                        .issuer(name)
                        .orElseThrow(
                            () ->
                                new IllegalArgumentException(
                                    "requester: no issuer named '" + name + "' in the policy"))
                        .issuerUrl())
            .orElse(p.issuer());
    return new Person(issuer, subject, email);
  }

  /**
   * The facts deciding {@code action} on {@code profile} reads: the requesters rule's for a
   * request, the auto-approve rule's, the approver (and escalation) rules' for what is done with a
   * request made; none for the rest.
   */
  FactNeeds needs(Action action, String profile) {
    Optional<Profile> p = policy.profile(profile);
    if (p.isEmpty()) {
      return FactNeeds.NONE;
    }
    return switch (action) {
      case REQUEST -> p.get().requesters().needs();
      case AUTO_APPROVE ->
          p.get().approval().autoApprove().map(c -> c.needs()).orElse(FactNeeds.NONE);
      case SEE, APPROVE, DENY, CANCEL, REVOKE, REVIEW, EXTEND -> p.get().voteNeeds();
      case SKIP -> p.get().requestNeeds(false);
      case EXCHANGE, READ_AUDIT, AUDIT, ADMIN -> FactNeeds.NONE;
    };
  }

  private static Decision role(boolean member, String role) {
    return member ? Decision.allow("among the " + role) : Decision.deny("not among the " + role);
  }

  /**
   * One question's particulars; {@code facts} default to the profile's maximum duration. A request
   * asked about was made {@code age} before the moment asked at (escalation reads it).
   */
  record Question(
      String profile, RequestFacts facts, Person requester, Duration age, Optional<String> stage) {

    /** A request made at the moment asked about, waiting in its first stage. */
    Question(String profile, RequestFacts facts, Person requester) {
      this(profile, facts, requester, Duration.ZERO, Optional.empty());
    }

    /** The same question about the stage named {@code name}. */
    Question inStage(String name) {
      return new Question(profile, facts, requester, age, Optional.of(name));
    }
  }

  /** Request facts with the profile's maximum as the default duration. */
  RequestFacts facts(
      String profile, Optional<String> duration, Optional<String> reason, boolean breakGlass) {
    var length =
        duration
            .map(Durations::parse)
            .orElseGet(
                () ->
                    policy.profile(profile).map(Profile::maxDuration).orElse(Duration.ofHours(1)));
    return new RequestFacts(length, reason, Optional.empty(), breakGlass);
  }
}
