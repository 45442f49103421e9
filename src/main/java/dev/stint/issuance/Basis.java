package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.FilledDocument;
import dev.stint.identity.Person;
import dev.stint.lease.Lease;
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
   * What the profile's template must still fill as it did when approved: {@link #narrowed()},
   * except under a lease with statements of its own, whose grant's document is the one approved.
   */
  default Narrowed approved() {
    return narrowed();
  }

  /**
   * Statements in place of the profile's session policy: a lease's own, proven within its grant.
   */
  default Optional<FilledDocument> statements() {
    return Optional.empty();
  }

  /** Whose credential it is: the caller, except on a lease, where it is the grant's holder's. */
  default Person holder(Caller caller) {
    return caller.person();
  }

  /** The task lease it is minted on, if any. */
  default Optional<String> leaseId() {
    return Optional.empty();
  }

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
   * A task lease on a grant: it ends with the lease, its credentials are the grant holder's and
   * carry the lease's narrowing (narrower values filled into the template, or statements of its
   * own, proven within the grant's when it was made).
   */
  record Leased(Grant grant, Lease lease, Duration max) implements Basis {
    @Override
    public Instant endsAt() {
      return lease.window().expiresAt().isAfter(grant.endsAt())
          ? grant.endsAt()
          : lease.window().expiresAt();
    }

    @Override
    public String reason() {
      return "task lease " + lease.id() + " on grant " + grant.id();
    }

    @Override
    public Optional<Grant> onGrant() {
      return Optional.of(grant);
    }

    @Override
    public IssuedUnder under() {
      return new IssuedUnder.Lease(grant.id(), lease.id());
    }

    @Override
    public Optional<String> ciRule() {
      return Optional.empty();
    }

    @Override
    public Narrowed narrowed() {
      return new Narrowed(lease.narrowing().values(), lease.narrowing().policy());
    }

    @Override
    public Narrowed approved() {
      return statements().isPresent() ? grant.narrowed() : narrowed();
    }

    @Override
    public Optional<FilledDocument> statements() {
      return lease.narrowing().ownStatements();
    }

    @Override
    public Person holder(Caller caller) {
      return grant.holder();
    }

    @Override
    public Optional<String> leaseId() {
      return Optional.of(lease.id());
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
