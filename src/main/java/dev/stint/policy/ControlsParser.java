package dev.stint.policy;

import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.Cloud;
import dev.stint.cloud.CloudTarget;
import dev.stint.common.AwsSessionPolicy;
import dev.stint.common.Durations;
import dev.stint.common.SourceNetworks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A profile's controls around its grants: {@code source_cidrs}, {@code extension}, and the check
 * that an AWS profile's whole session policy fits STS's limit. Outer Optional empty = a problem was
 * reported.
 */
final class ControlsParser {
  private ControlsParser() {}

  static Optional<SourceNetworks> sources(YamlNode n) {
    if (!n.has("source_cidrs")) {
      return Optional.of(SourceNetworks.ANY);
    }
    Optional<List<String>> list = n.strings("source_cidrs");
    if (list.isEmpty()) {
      return Optional.empty();
    }
    if (list.get().isEmpty()) {
      n.problem("source_cidrs", "must list at least one network (leave the key out for any)");
      return Optional.empty();
    }
    try {
      return Optional.of(SourceNetworks.parse(list.get()));
    } catch (IllegalArgumentException e) {
      n.problem("source_cidrs", e.getMessage());
      return Optional.empty();
    }
  }

  /** {@code extension}, whose {@code max_total} may not be shorter than {@code max_duration}. */
  static Optional<Optional<ExtensionRule>> extension(
      YamlNode profile, Optional<Duration> profileMax) {
    if (!profile.has("extension")) {
      return Optional.of(Optional.empty());
    }
    Optional<YamlNode> node = profile.child("extension");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    YamlNode n = node.get();
    n.allowOnly(Set.of("max_total", "approval"));
    Optional<Duration> max = n.has("max_total") ? n.duration("max_total") : n.missing("max_total");
    Optional<ExtensionRule.Approval> approval =
        n.has("approval")
            ? n.choice("approval", ExtensionRule.Approval.class)
            : n.missing("approval");
    if (max.isPresent() && (max.get().isNegative() || max.get().isZero())) {
      n.problem("max_total", "must be positive");
      return Optional.empty();
    }
    if (max.isEmpty() || approval.isEmpty()) {
      return Optional.empty();
    }
    if (profileMax.isPresent() && max.get().compareTo(profileMax.get()) < 0) {
      n.problem("max_total", "is shorter than max_duration");
      return Optional.empty();
    }
    return Optional.of(Optional.of(new ExtensionRule(max.get(), approval.get())));
  }

  /**
   * {@code leases}: {@code max_duration} positive and no longer than the profile's, {@code
   * max_active} from 1 to {@link LeaseRule#MAX_ACTIVE}, {@code approval} none (the default) or
   * required.
   */
  static Optional<Optional<LeaseRule>> leases(YamlNode profile, Optional<Duration> profileMax) {
    if (!profile.has("leases")) {
      return Optional.of(Optional.empty());
    }
    Optional<YamlNode> node = profile.child("leases");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    YamlNode n = node.get();
    n.allowOnly(Set.of("max_duration", "max_active", "approval"));
    Optional<Duration> max =
        n.has("max_duration") ? n.duration("max_duration") : n.missing("max_duration");
    Optional<Integer> active =
        n.has("max_active") ? n.integer("max_active") : n.missing("max_active");
    Optional<LeaseRule.Approval> approval =
        n.has("approval")
            ? n.choice("approval", LeaseRule.Approval.class)
            : Optional.of(LeaseRule.Approval.NONE);
    if (max.isEmpty() || active.isEmpty() || approval.isEmpty()) {
      return Optional.empty();
    }
    boolean ok = true;
    if (max.get().isNegative() || max.get().isZero()) {
      n.problem("max_duration", "must be positive");
      ok = false;
    } else if (profileMax.isPresent() && max.get().compareTo(profileMax.get()) > 0) {
      n.problem(
          "max_duration", "is longer than the profile's max_duration: a lease is never longer");
      ok = false;
    }
    if (active.get() < 1 || active.get() > LeaseRule.MAX_ACTIVE) {
      n.problem("max_active", "must be from 1 to " + LeaseRule.MAX_ACTIVE);
      ok = false;
    }
    return ok
        ? Optional.of(Optional.of(new LeaseRule(max.get(), active.get(), approval.get())))
        : Optional.empty();
  }

  /**
   * {@code access_review}: {@code every} at least {@link ReviewRule#MIN_EVERY}, {@code due_in}
   * positive and no longer than {@code every} (one review is due before the next opens), {@code
   * reviewers} a rule about a person, {@code when_overdue} keep or suspend.
   */
  static Optional<Optional<ReviewRule>> accessReview(YamlNode profile, Conditions roleRules) {
    if (!profile.has("access_review")) {
      return Optional.of(Optional.empty());
    }
    Optional<YamlNode> node = profile.child("access_review");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    YamlNode n = node.get();
    n.allowOnly(Set.of("every", "reviewers", "due_in", "when_overdue"));
    Optional<Duration> every = n.has("every") ? n.duration("every") : n.missing("every");
    Optional<Duration> dueIn = n.has("due_in") ? n.duration("due_in") : n.missing("due_in");
    Optional<Condition> reviewers = n.requiredCondition("reviewers", roleRules);
    Optional<ReviewRule.WhenOverdue> overdue =
        n.has("when_overdue")
            ? n.choice("when_overdue", ReviewRule.WhenOverdue.class)
            : n.missing("when_overdue");
    if (every.isEmpty() || dueIn.isEmpty() || reviewers.isEmpty() || overdue.isEmpty()) {
      return Optional.empty();
    }
    boolean ok = true;
    if (every.get().compareTo(ReviewRule.MIN_EVERY) < 0) {
      n.problem("every", "must be at least " + Durations.format(ReviewRule.MIN_EVERY));
      ok = false;
    }
    if (dueIn.get().isNegative() || dueIn.get().isZero()) {
      n.problem("due_in", "must be positive");
      ok = false;
    } else if (dueIn.get().compareTo(every.get()) > 0) {
      n.problem("due_in", "is longer than every: a review is due before the next one opens");
      ok = false;
    }
    return ok
        ? Optional.of(
            Optional.of(new ReviewRule(every.get(), reviewers.get(), dueIn.get(), overdue.get())))
        : Optional.empty();
  }

  /**
   * {@code max_token_lifetime}: positive, at most {@code max_duration}, and only where a revoke
   * cannot end a token (GCP, Azure). An AWS session needs no such cap: the revocation deny ends it,
   * and {@code max_duration} already bounds it.
   */
  static Optional<Optional<Duration>> maxTokenLifetime(
      YamlNode n, Optional<CloudTarget> target, Optional<Duration> max) {
    String key = "max_token_lifetime";
    if (!n.has(key)) {
      return Optional.of(Optional.empty());
    }
    Optional<Duration> lifetime = n.duration(key);
    if (lifetime.isEmpty()) {
      return Optional.empty();
    }
    if (target.flatMap(Cloud.AWS::target).isPresent()) {
      n.problem(
          key,
          "is for gcp and azure profiles only: a revoke ends AWS sessions (the deny on"
              + " the role), so they need no shorter cap; max_duration bounds them");
      return Optional.empty();
    }
    if (max.isPresent() && lifetime.get().compareTo(max.get()) > 0) {
      n.problem(key, "is longer than max_duration (" + Durations.format(max.get()) + ")");
      return Optional.empty();
    }
    return Optional.of(lifetime);
  }

  /** A narrowing with nothing allowed is a mistake, and the whole policy must fit STS's limit. */
  static boolean sessionPolicyFits(YamlNode n, CloudTarget target, SourceNetworks sources) {
    Optional<AwsTarget> found = Cloud.AWS.target(target);
    if (found.isEmpty()) {
      return true;
    }
    AwsTarget aws = found.get();
    if (aws.sessionPolicy().isPresent()
        && aws.sessionPolicyArns().isEmpty()
        && !aws.sessionPolicy().get().contains("\"Effect\":\"Allow\"")) {
      n.problem(
          "aws.session_policy",
          "has no Allow statement, so sessions could do nothing "
              + "(a session policy only narrows what the role allows)");
      return false;
    }
    AwsSessionPolicy policy =
        new AwsSessionPolicy(sources, aws.sessionPolicy(), aws.sessionPolicyArns());
    int size = policy.packedChars();
    if (size > AwsSessionPolicy.MAX_CHARS) {
      n.problem(
          aws.sessionPolicy().isPresent() ? "aws.session_policy" : "source_cidrs",
          "the session policy (with the grant-end and source_cidrs statements stint adds) and "
              + "the policy ARNs come to "
              + size
              + " characters; AWS allows "
              + AwsSessionPolicy.MAX_CHARS);
      return false;
    }
    return true;
  }
}
