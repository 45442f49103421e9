package dev.stint.issuance;

import dev.stint.access.Grant;
import dev.stint.access.Narrowed;
import dev.stint.mint.IssuedUnder;
import dev.stint.policy.CiRule;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a credential is issued on, established once per request (step 4 of {@link Issuance}): an
 * approved grant, an auto-approval (a grant opened on the spot), or a CI rule that mints without
 * one.
 */
sealed interface Basis {
  /** When every credential on this basis must have ended. */
  Instant endsAt();

  /** The longest one credential may last (the profile's, or the CI rule's if shorter). */
  Duration max();

  /** What the audit records as the reason for the issuance. */
  String reason();

  /** The grant, when there is one (only a grant can be revoked). */
  Optional<Grant> onGrant();

  /** What the cloud is told the credential is issued under. */
  IssuedUnder under();

  /** The CI rule behind it, if any. */
  Optional<String> ciRule();

  /**
   * What a credential on it is narrowed to: a grant's values and the document its approvers saw, or
   * the values a CI rule fixes with the document they fill.
   */
  Narrowed narrowed();

  /**
   * An approved request's grant; {@code ciRule} names the rule a CI job's request was made under.
   */
  record Approved(Grant grant, Duration max, Optional<String> ciRule) implements Basis {
    @Override
    public Instant endsAt() {
      return grant.endsAt();
    }

    @Override
    public String reason() {
      return ciRule
          .map(r -> "approved request under CI rule '" + r + "'")
          .orElse(grant.breakGlass() ? "break-glass grant" : "active grant");
    }

    @Override
    public Optional<Grant> onGrant() {
      return Optional.of(grant);
    }

    @Override
    public Narrowed narrowed() {
      return grant.narrowed();
    }

    @Override
    public IssuedUnder under() {
      return new IssuedUnder.Grant(grant.id());
    }
  }

  /** A grant the profile's {@code auto_approve} opened for this call. */
  record AutoApproved(Grant grant, Duration max) implements Basis {
    @Override
    public Instant endsAt() {
      return grant.endsAt();
    }

    @Override
    public String reason() {
      return "auto-approved grant";
    }

    @Override
    public Optional<Grant> onGrant() {
      return Optional.of(grant);
    }

    @Override
    public Narrowed narrowed() {
      return grant.narrowed();
    }

    @Override
    public IssuedUnder under() {
      return new IssuedUnder.Grant(grant.id());
    }

    @Override
    public Optional<String> ciRule() {
      return Optional.empty();
    }
  }

  /**
   * A CI rule with {@code approval: none}: it ends {@code max} after the exchange, narrowed to the
   * values the rule fixes.
   */
  record ByCiRule(CiRule rule, Instant endsAt, Duration max, Narrowed narrowed) implements Basis {
    @Override
    public String reason() {
      return "CI rule '" + rule.name() + "'";
    }

    @Override
    public Optional<Grant> onGrant() {
      return Optional.empty();
    }

    @Override
    public IssuedUnder under() {
      return new IssuedUnder.CiRule(rule.name());
    }

    @Override
    public Optional<String> ciRule() {
      return Optional.of(rule.name());
    }
  }
}
