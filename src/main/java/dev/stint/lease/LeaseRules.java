package dev.stint.lease;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.stint.access.Grant;
import dev.stint.common.AwsSessionPolicy;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.common.SecretShapes;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.policy.Decision;
import dev.stint.policy.LeaseRights;
import dev.stint.policy.LeaseRule;
import dev.stint.policy.Profile;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a lease may be made of a grant, and what it is if so: pure, on the profile and the grant
 * as they stand. A lease is never wider than its grant:
 *
 * <ul>
 *   <li>only the grant's holder makes one, on a grant active now, of a profile whose {@code leases}
 *       rule allows it, while fewer than {@code max_active} of the grant's leases live;
 *   <li>it lasts at most the rule's {@code max_duration} (longer is refused, never shortened) and
 *       ends with its grant at the latest;
 *   <li>its policy is the grant's; or the profile's template filled with other values, proven
 *       inside the grant's document statement by statement ({@code common.AwsPolicyContainment});
 *       or statements of the creator's own, proven the same way. What cannot be proven is refused,
 *       naming the statement ({@link LeaseRights#mayCarry}, as {@link LeaseRights#mayCreate} says
 *       who). Only an AWS session policy can be proven: on other clouds a lease carries its grant's
 *       narrowing unchanged.
 * </ul>
 */
final class LeaseRules {
  /** The longest task a lease names; it is shown to approvers and carried into the audit. */
  public static final int MAX_TASK = 500;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter COMPACT =
      JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

  private LeaseRules() {}

  /**
   * The lease as it may be made: its end, the narrowing its credentials carry, and whether it waits
   * for an approver's vote first ({@code leases.approval: required}).
   */
  public record Plan(Instant expiresAt, Lease.Narrowing narrowing, boolean needsVote) {}

  /**
   * @param live how many of the grant's leases live now
   * @throws StintException why the lease may not be made
   */
  public static Plan plan(
      Profile profile, Grant grant, Person creator, LeaseTerms ask, int live, Instant now) {
    new LeaseRights(creator).mayCreate(profile, grant.id(), grant.holder()).orRefuse();
    LeaseRule rule = profile.leases().orElseThrow();
    if (!grant.activeAt(now)) {
      throw StintException.conflict("grant " + grant.id() + " is not active");
    }
    task(ask.task());
    if (ask.duration().isNegative()
        || ask.duration().isZero()
        || ask.duration().compareTo(rule.maxDuration()) > 0) {
      throw StintException.invalid(
          "a lease of profile '"
              + profile.name()
              + "' lasts more than nothing and at most "
              + rule.maxDuration().toMinutes()
              + " minutes");
    }
    if (live >= rule.maxActive()) {
      throw StintException.conflict(
          "grant "
              + grant.id()
              + " has "
              + live
              + " live leases; its profile allows "
              + rule.maxActive());
    }
    Instant asked = now.plus(ask.duration());
    Instant end = asked.isAfter(grant.endsAt()) ? grant.endsAt() : asked;
    return new Plan(
        end, narrowing(profile, grant, ask), rule.approval() == LeaseRule.Approval.REQUIRED);
  }

  private static void task(String task) {
    if (task == null || task.isBlank()) {
      throw StintException.invalid("a lease names its task");
    }
    if (task.length() > MAX_TASK || task.chars().anyMatch(Character::isISOControl)) {
      throw StintException.invalid("a task is one line of at most " + MAX_TASK + " characters");
    }
    // A task is kept, shown on pages and carried into the audit: never a secret.
    SecretShapes.problem(task)
        .ifPresent(
            shape -> {
              throw StintException.invalid(
                  "the task " + shape + ": describe the task, never paste a secret into it");
            });
  }

  private static Lease.Narrowing narrowing(Profile profile, Grant grant, LeaseTerms ask) {
    Lease.Narrowing granted =
        new Lease.Narrowing(grant.narrowed().values(), grant.narrowed().policy());
    if (ask.parameters().isPresent() && ask.sessionPolicy().isPresent()) {
      throw StintException.invalid("give a lease parameters or a session_policy, not both");
    }
    if (ask.parameters().isEmpty() && ask.sessionPolicy().isEmpty()) {
      return granted;
    }
    if (!profile.takesSessionPolicy()) {
      throw StintException.invalid(
          "only an AWS lease can be narrower than its grant: give it neither parameters nor a"
              + " session_policy");
    }
    if (ask.parameters().isPresent()) {
      return filledNarrower(profile, grant, ask.parameters().get());
    }
    return ownStatements(profile, grant, ask.sessionPolicy().get());
  }

  /** The template filled with other values, proven inside the grant's document. */
  private static Lease.Narrowing filledNarrower(
      Profile profile, Grant grant, ParameterValues values) {
    if (values.equals(grant.narrowed().values())) {
      return new Lease.Narrowing(values, grant.narrowed().policy());
    }
    Optional<FilledDocument> filled;
    try {
      filled = profile.narrowedPolicy(values);
    } catch (IllegalArgumentException e) {
      throw StintException.invalid("the lease's parameters: " + e.getMessage());
    }
    String within =
        grant
            .narrowed()
            .policy()
            .map(FilledDocument::json)
            .orElseThrow(
                () -> StintException.invalid("grant " + grant.id() + " has no values to narrow"));
    carried(profile, Optional.of(within), filled.orElseThrow().json());
    return new Lease.Narrowing(values, filled);
  }

  /**
   * The creator's own statements, kept compact, within the size STS takes (checked before the
   * proof, whose cost grows with them), and proven inside what the grant allows ({@link
   * #requireWithinGrant}).
   */
  private static Lease.Narrowing ownStatements(Profile profile, Grant grant, String statements) {
    FilledDocument policy = compact(statements);
    if (policy.json().equals("[]")) {
      throw StintException.invalid("a lease's session_policy holds at least one statement");
    }
    int size = profile.sessionPolicyChars(policy.json());
    if (size > AwsSessionPolicy.MAX_CHARS) {
      throw StintException.invalid(
          "the lease's session policy comes to "
              + size
              + " characters; AWS allows "
              + AwsSessionPolicy.MAX_CHARS);
    }
    requireWithinGrant(profile, grant, policy.json());
    return new Lease.Narrowing(ParameterValues.NONE, Optional.of(policy));
  }

  /**
   * Requires a lease's own statements to be proven inside what the grant's sessions are narrowed to
   * under {@code profile} as it stands ({@link LeaseRights#mayCarry}).
   *
   * @throws StintException forbidden when they are not proven inside, naming the statement
   */
  static void requireWithinGrant(Profile profile, Grant grant, String statements) {
    carried(profile, grant.narrowed().policy().map(FilledDocument::json), statements);
  }

  private static void carried(Profile profile, Optional<String> within, String statements) {
    Decision may;
    try {
      may = LeaseRights.mayCarry(profile, within, statements);
    } catch (IllegalArgumentException e) {
      throw StintException.invalid("the lease's session_policy: " + e.getMessage());
    }
    may.orRefuse();
  }

  /** As a narrowed profile's document is kept: compact, every character outside ASCII escaped. */
  private static FilledDocument compact(String statements) {
    try {
      return new FilledDocument(COMPACT.writeValueAsString(JSON.readTree(statements)));
    } catch (JsonProcessingException e) {
      throw StintException.invalid("the lease's session_policy is not JSON");
    }
  }
}
