package dev.stint.mint;

import java.time.Instant;

/**
 * A minted credential as a value. It carries a secret: the HTTP layer writes it to the caller, the
 * audit keeps only ids, expiry and fingerprints, and {@code toString} never shows it.
 */
public interface Credential {
  String cloud();

  /** When the credential stops working, never after the order's hard end for AWS. */
  Instant expiresAt();

  /** What the ledger and the audit keep of it instead of the secret. */
  Receipt receipt();
}
