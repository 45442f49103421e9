package dev.stint.finding;

import dev.stint.finding.rules.EventRef;
import dev.stint.finding.rules.Origin;
import dev.stint.policy.FindingAction;
import dev.stint.policy.FindingMode;
import dev.stint.policy.FindingRule;
import dev.stint.policy.FindingSeverity;
import dev.stint.policy.RuleInForce;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A finding as it was raised (docs/findings.md): the rule, the severity, mode and action the policy
 * in force gave it when the call was judged, whose key made the call (request, grant, lease when a
 * lease's, credential, person, profile), the calls it names, the sentence that says why, when, and
 * when its action was carried out. What follows a finding acts on this record, never on a later
 * policy.
 *
 * @param id {@code fnd_…}
 */
public record Finding(
    String id,
    FindingRule rule,
    FindingSeverity severity,
    FindingMode mode,
    Origin origin,
    List<EventRef> events,
    String why,
    Instant raisedAt,
    Action action,
    Optional<Instant> actedAt) {

  /**
   * What a finding does: nothing (a dry run), tell people, end the lease whose key made the call,
   * or revoke the grant.
   */
  public enum Action {
    NONE,
    NOTIFIED,
    LEASE_ENDED,
    GRANT_REVOKED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What a finding raised under {@code rule} on a call of {@code origin}'s key does: a dry run
     * nothing; live, tell people, or end the lease when a lease's key made the call, else revoke
     * its grant.
     */
    public static Action of(RuleInForce rule, Origin origin) {
      if (rule.mode() != FindingMode.LIVE) {
        return NONE;
      }
      if (rule.action() == FindingAction.NOTIFY) {
        return NOTIFIED;
      }
      return origin.leaseId().isPresent() ? LEASE_ENDED : GRANT_REVOKED;
    }

    static Action of(String code) {
      return valueOf(code.toUpperCase(Locale.ROOT));
    }
  }

  public Finding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(origin, "origin");
    events = List.copyOf(events);
    Objects.requireNonNull(why, "why");
    Objects.requireNonNull(raisedAt, "raisedAt");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(actedAt, "actedAt");
    if (mode == FindingMode.OFF) {
      throw new IllegalArgumentException("a rule that is off raises nothing");
    }
  }

  /** Whether it is acted on: live, with an action to carry out. */
  public boolean live() {
    return mode == FindingMode.LIVE && action != Action.NONE;
  }

  /** The reason a lease ended or a grant revoked for it names. */
  public String reason() {
    return "finding " + id + " (" + rule.id() + "): " + why;
  }
}
