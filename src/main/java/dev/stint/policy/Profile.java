package dev.stint.policy;

import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.Cloud;
import dev.stint.cloud.CloudTarget;
import dev.stint.common.AwsSessionPolicy;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something people may request: one cloud target, who may ask, who approves, for how long, from
 * which networks ({@code sources}) and whether a grant may be extended. {@code maxTokenLifetime}
 * (GCP and Azure only) caps one token below {@code maxDuration}: a revoke cannot end those tokens,
 * so it bounds how long one outlives a revoke. {@code endWhen}, when set, ends a live grant as soon
 * as it turns true (the ticket closed, the incident resolved), rechecked while the grant lives.
 * {@code parameters}, when given, are what a requester fills into the target's session policy or
 * access boundary (a narrowed profile), in file order. {@code leases}, when set, lets a grant's
 * holder derive task leases from it (see {@link LeaseRule}). {@code accessReview}, when set, has
 * who may request it reviewed on a schedule (see {@link ReviewRule}). {@code findings} is its own
 * {@code findings:} block, which overrides the policy's ({@link Findings#inForce}); {@link
 * Findings#NONE} when it has none.
 */
public record Profile(
    String name,
    String description,
    CloudTarget target,
    Duration maxDuration,
    Condition requesters,
    Approval approval,
    ReasonRule reason,
    boolean breakGlass,
    SourceNetworks sources,
    Optional<ExtensionRule> extension,
    Optional<Duration> maxTokenLifetime,
    Optional<Condition> endWhen,
    Map<String, Parameter> parameters,
    Optional<LeaseRule> leases,
    Optional<ReviewRule> accessReview,
    Findings findings) {

  public Profile {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    Objects.requireNonNull(findings, "findings");
  }

  /** This profile reviewed under {@code rule} (a bundle's, for a profile declaring none). */
  public Profile withAccessReview(ReviewRule rule) {
    return new Profile(
        name,
        description,
        target,
        maxDuration,
        requesters,
        approval,
        reason,
        breakGlass,
        sources,
        extension,
        maxTokenLifetime,
        endWhen,
        parameters,
        leases,
        Optional.of(rule),
        findings);
  }

  /**
   * The facts deciding a request of this profile reads: who may request it and, unless it is
   * break-glass, whether it is approved at once and which stages it skips.
   */
  public FactNeeds requestNeeds(boolean breakGlass) {
    FactNeeds needs = requesters.needs();
    if (!breakGlass && approval.autoApprove().isPresent()) {
      needs = needs.and(approval.autoApprove().get().needs());
    }
    for (Stage stage : approval.stages()) {
      if (!breakGlass && stage.skipIf().isPresent()) {
        needs = needs.and(stage.skipIf().get().needs());
      }
    }
    return needs;
  }

  /** The facts {@code end_when} reads about a live grant: its holder's and its ticket. */
  public FactNeeds endNeeds() {
    return endWhen.map(Condition::needs).orElse(FactNeeds.NONE);
  }

  /** The facts deciding who may vote on a request of this profile reads, in any of its stages. */
  public FactNeeds voteNeeds() {
    FactNeeds needs = FactNeeds.NONE;
    for (Stage stage : approval.stages()) {
      needs = needs.and(stage.voteNeeds());
    }
    return needs;
  }

  /**
   * The document this profile's parameters fill with {@code values}, exactly as it is sent: its
   * session policy's statements (AWS, checked with the statements stint adds against the size STS
   * takes) or its access boundary (GCP). Empty for a profile without parameters given none.
   *
   * @throws IllegalArgumentException naming each refused, missing or unknown parameter (never a
   *     value), or a filled session policy larger than STS takes
   */
  public Optional<FilledDocument> narrowedPolicy(ParameterValues values) {
    if (parameters.isEmpty()) {
      if (!values.isEmpty()) {
        throw new IllegalArgumentException("profile '" + name + "' takes no parameters");
      }
      return Optional.empty();
    }
    Optional<AwsTarget> aws = Cloud.AWS.target(target);
    if (aws.isPresent()) {
      return aws.get().filledWithin(sources, values);
    }
    return Cloud.GCP.target(target).flatMap(gcp -> gcp.accessBoundaryFor(values));
  }

  /**
   * Whether a credential of this profile can carry a session policy of its own (an AWS role's
   * session): only then can a lease be proven narrower than its grant.
   */
  public boolean takesSessionPolicy() {
    return Cloud.AWS.target(target).filter(t -> t.assignment().isEmpty()).isPresent();
  }

  /**
   * The statements (a compact JSON array) every session of this profile is narrowed to when it has
   * no parameters to fill; empty for a narrowed profile (its grants carry their own) or none.
   */
  public Optional<String> fixedSessionStatements() {
    return Cloud.AWS
        .target(target)
        .filter(t -> t.parameters().isEmpty())
        .flatMap(AwsTarget::sessionPolicy);
  }

  /**
   * The session-policy statements as the policy file writes them (a compact JSON array), a narrowed
   * profile's template with its placeholders kept; empty when it has none.
   */
  public Optional<String> writtenSessionStatements() {
    return Cloud.AWS.target(target).flatMap(AwsTarget::sessionPolicy);
  }

  /** Whether its sessions are narrowed by managed policies ({@code session_policy_arns}). */
  public boolean narrowedByManagedPolicies() {
    return Cloud.AWS.target(target).map(t -> !t.sessionPolicyArns().isEmpty()).orElse(false);
  }

  /**
   * How many characters STS counts for a session of this profile narrowed to {@code statements}
   * (with the statements stint adds and the policy ARNs); {@link AwsSessionPolicy#MAX_CHARS} is the
   * most it takes.
   *
   * @throws IllegalStateException for a profile whose sessions take no session policy
   */
  public int sessionPolicyChars(String statements) {
    AwsTarget aws =
        Cloud.AWS
            .target(target)
            .orElseThrow(() -> new IllegalStateException(name + " takes no session policy"));
    return new AwsSessionPolicy(sources, Optional.of(statements), aws.sessionPolicyArns())
        .packedChars();
  }
}
