package dev.stint.mint;

import java.time.Instant;
import java.util.Map;

/**
 * A minted credential as a value, which says for itself what the caller gets, what the audit keeps
 * and what the ledger stores, so that nothing above {@code mint} needs to know which cloud minted
 * it. It carries a secret: only {@link #wireFields()} holds it, the HTTP layer writes those to the
 * caller, and {@code toString} never shows it.
 */
public interface Credential {
  String cloud();

  /** When the credential stops working, never after the order's hard end for AWS. */
  Instant expiresAt();

  /** What the ledger and the audit keep of it instead of the secret. */
  Receipt receipt();

  /**
   * The answer's fields in the cloud's own names, as its tools read them ({@code cloud} first), the
   * secret included: for the HTTP answer only.
   */
  Map<String, String> wireFields();

  /** What the audit keeps of it instead of it: ids, expiry and fingerprints, never the secret. */
  Map<String, Object> auditFacts();
}
