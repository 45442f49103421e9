package dev.stint.ledger;

import dev.stint.common.ParameterValues;
import dev.stint.mint.Receipt;
import java.util.Objects;
import java.util.Optional;

/**
 * One credential as the ledger records it when it is handed out: what it was issued under, whose it
 * is, for which profile (narrowed to which values, on a narrowed profile), and what was minted. The
 * audit writer inserts it in the transaction of its {@code credential.issued} event, which gives it
 * its event id and issue time: no row, no credential.
 *
 * @param id {@code crd_…}
 */
public record LedgerEntry(
    String id, Basis basis, Holder holder, String profile, Receipt receipt, Narrowing narrowing) {

  /**
   * A narrowed profile's values the credential was minted with, and the SHA-256 of the document
   * they filled (the session policy's statements or the access boundary); {@link #NONE} otherwise.
   */
  public record Narrowing(ParameterValues values, Optional<String> policySha256) {
    public static final Narrowing NONE = new Narrowing(ParameterValues.NONE, Optional.empty());

    public Narrowing {
      Objects.requireNonNull(values, "values");
      Objects.requireNonNull(policySha256, "policySha256");
    }

    public boolean isNarrowed() {
      return !values.isEmpty() || policySha256.isPresent();
    }
  }

  /** A credential on a profile without parameters. */
  public LedgerEntry(String id, Basis basis, Holder holder, String profile, Receipt receipt) {
    this(id, basis, holder, profile, receipt, Narrowing.NONE);
  }

  /**
   * A grant (with its request, and the CI rule a CI job's request was made under, or the task lease
   * of the grant it was minted on), or a rule.
   */
  public record Basis(
      Optional<String> grantId,
      Optional<String> requestId,
      Optional<String> ciRule,
      Optional<String> leaseId) {
    public Basis {
      if (grantId.isEmpty() && ciRule.isEmpty()) {
        throw new IllegalArgumentException("a credential is issued on a grant or a CI rule");
      }
      if (leaseId.isPresent() && (grantId.isEmpty() || ciRule.isPresent())) {
        throw new IllegalArgumentException("a lease is of a person's grant");
      }
    }

    /** On a grant or a rule, not on a lease. */
    public Basis(Optional<String> grantId, Optional<String> requestId, Optional<String> ciRule) {
      this(grantId, requestId, ciRule, Optional.empty());
    }

    public static Basis grant(String grantId, String requestId, Optional<String> ciRule) {
      return new Basis(Optional.of(grantId), Optional.of(requestId), ciRule);
    }

    public static Basis lease(String grantId, String requestId, String leaseId) {
      return new Basis(
          Optional.of(grantId), Optional.of(requestId), Optional.empty(), Optional.of(leaseId));
    }

    public static Basis ciRule(String rule) {
      return new Basis(Optional.empty(), Optional.empty(), Optional.of(rule));
    }
  }

  /** The person (or CI job) it was issued to, as (issuer, subject). */
  public record Holder(String issuer, String subject) {
    public Holder {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(subject, "subject");
    }
  }

  public LedgerEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(narrowing, "narrowing");
  }
}
