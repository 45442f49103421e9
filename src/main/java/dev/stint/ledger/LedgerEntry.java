package dev.stint.ledger;

import dev.stint.mint.Receipt;
import java.util.Objects;
import java.util.Optional;

/**
 * One credential as the ledger records it when it is handed out: what it was issued under, whose it
 * is, for which profile, and what was minted. The audit writer inserts it in the transaction of its
 * {@code credential.issued} event, which gives it its event id and issue time: no row, no
 * credential.
 *
 * @param id {@code crd_…}
 */
public record LedgerEntry(String id, Basis basis, Holder holder, String profile, Receipt receipt) {

  /** A grant (with its request, and the CI rule a CI job's request was made under), or a rule. */
  public record Basis(
      Optional<String> grantId, Optional<String> requestId, Optional<String> ciRule) {
    public Basis {
      if (grantId.isEmpty() && ciRule.isEmpty()) {
        throw new IllegalArgumentException("a credential is issued on a grant or a CI rule");
      }
    }

    public static Basis grant(String grantId, String requestId, Optional<String> ciRule) {
      return new Basis(Optional.of(grantId), Optional.of(requestId), ciRule);
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
  }
}
