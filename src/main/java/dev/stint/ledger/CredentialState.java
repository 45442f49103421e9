package dev.stint.ledger;

import java.util.Locale;

/** What became of a credential, as the API and the pages name it. */
public enum CredentialState {
  /** Handed out, and working until it expires. */
  LIVE,
  /** Past its expiry. */
  EXPIRED,
  /** Its grant was revoked and the cloud denies it (AWS), from when the deny is in place. */
  REVOKED,
  /** Minted, but its grant was revoked before it could be handed out: nobody ever held it. */
  WITHHELD;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
