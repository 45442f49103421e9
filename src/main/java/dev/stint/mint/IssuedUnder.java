package dev.stint.mint;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a credential is issued under, as the cloud sees it: a grant (which revocation can end), or a
 * CI rule that mints without one. Never a made-up grant id: the audit, the answer and the tokens
 * stint signs name the rule as a rule, so nothing mistakes it for a grant.
 */
public sealed interface IssuedUnder {
  /**
   * For logs and the clouds' own audit trails, e.g. {@code grant g-1} or {@code CI rule deploy}.
   */
  String label();

  /** The grant id or the rule name. */
  String value();

  /** The claim that carries {@link #value()} in the tokens stint signs for the clouds. */
  String claim();

  /**
   * One value for a place that carries either (a cloud's session tag, a source identity): the grant
   * id, or {@code ci:RULE}, which no grant id can be.
   */
  String tag();

  /**
   * What a session's source identity names after the person: {@link #tag()}, except for a lease,
   * whose sessions (and those chained from them) a revocation of the lease alone must reach.
   */
  default String sourceTag() {
    return tag();
  }

  /** The lease, for a lease's credential. */
  default Optional<String> lease() {
    return Optional.empty();
  }

  /**
   * Every claim the tokens stint signs for the clouds carry about it: {@link #claim()} with {@link
   * #value()}, and for a lease the grant beside it, so a cloud's own log names both.
   */
  default Map<String, String> claims() {
    return Map.of(claim(), value());
  }

  /** A grant, by id. */
  record Grant(String id) implements IssuedUnder {
    public Grant {
      Objects.requireNonNull(id, "id");
    }

    @Override
    public String label() {
      return "grant " + id;
    }

    @Override
    public String value() {
      return id;
    }

    @Override
    public String claim() {
      return "grant_id";
    }

    @Override
    public String tag() {
      return id;
    }
  }

  /**
   * A task lease on a grant: its sessions carry the grant (which revoking ends them with) and the
   * lease (which revoking ends them alone). {@link #tag()} is the grant's, for the {@code
   * stint:grant} tag; {@link #value()} and the source identity name the lease.
   */
  record Lease(String grantId, String leaseId) implements IssuedUnder {
    public Lease {
      Objects.requireNonNull(grantId, "grantId");
      Objects.requireNonNull(leaseId, "leaseId");
    }

    @Override
    public String label() {
      return "lease " + leaseId + " on grant " + grantId;
    }

    @Override
    public String value() {
      return leaseId;
    }

    @Override
    public String claim() {
      return "lease_id";
    }

    @Override
    public String tag() {
      return grantId;
    }

    @Override
    public String sourceTag() {
      return leaseId;
    }

    @Override
    public Optional<String> lease() {
      return Optional.of(leaseId);
    }

    @Override
    public Map<String, String> claims() {
      return Map.of(new Grant(grantId).claim(), grantId, claim(), leaseId);
    }
  }

  /** A CI rule with {@code approval: none}, by name. */
  record CiRule(String name) implements IssuedUnder {
    public CiRule {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String label() {
      return "CI rule " + name;
    }

    @Override
    public String value() {
      return name;
    }

    @Override
    public String claim() {
      return "ci_rule";
    }

    @Override
    public String tag() {
      return "ci:" + name;
    }
  }
}
