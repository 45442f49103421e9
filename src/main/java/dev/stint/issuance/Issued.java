package dev.stint.issuance;

import dev.stint.mint.Credential;
import java.util.Optional;

/**
 * A credential issued and recorded: the value (with its secret, for the caller only), its id in the
 * credentials ledger, the grant it was issued under or the CI rule that minted it without one.
 */
public record Issued(
    Credential credential, String credentialId, Optional<String> grantId, Optional<String> ciRule) {
  @Override
  public String toString() {
    return "Issued[cloud="
        + credential.cloud()
        + ", credentialId="
        + credentialId
        + ", grantId="
        + grantId
        + ", ciRule="
        + ciRule
        + "]";
  }
}
