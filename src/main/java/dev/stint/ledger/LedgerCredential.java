package dev.stint.ledger;

import java.time.Instant;
import java.util.Optional;

/**
 * A ledger row as read back: the entry, when its {@code credential.issued} event committed, and
 * what became of it ({@code ended} is when it was revoked or withheld; {@code cut} when a cutoff
 * written for other grants' revocations denied it though its own grant stands).
 */
public record LedgerCredential(
    LedgerEntry entry,
    Instant issuedAt,
    Stored stored,
    Optional<Instant> ended,
    Optional<Instant> cut) {

  /** A row no cutoff cut. */
  public LedgerCredential(
      LedgerEntry entry, Instant issuedAt, Stored stored, Optional<Instant> ended) {
    this(entry, issuedAt, stored, ended, Optional.empty());
  }

  /** The state the row holds; expiry is not stored, it is read off the clock. */
  public enum Stored {
    LIVE,
    REVOKED,
    WITHHELD
  }

  /** What it is at {@code now}: a live row past its expiry is expired. */
  public CredentialState stateAt(Instant now) {
    return switch (stored) {
      case REVOKED -> CredentialState.REVOKED;
      case WITHHELD -> CredentialState.WITHHELD;
      case LIVE ->
          entry.receipt().expiresAt().isAfter(now) ? CredentialState.LIVE : CredentialState.EXPIRED;
    };
  }
}
