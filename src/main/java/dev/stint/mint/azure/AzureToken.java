package dev.stint.mint.azure;

import java.time.Instant;
import java.util.Optional;

/**
 * A minted Entra access token and when Entra says it expires. The HTTP answer is {@code
 * {cloud:"azure", access_token, expires_on}}. {@link #toString()} never shows the token.
 */
public record AzureToken(String accessToken, Instant expiresOn) {
  /** The token's {@code uti} and {@code tid}, when it is a JWT that carries a {@code uti}. */
  Optional<EntraClaims.Ids> ids() {
    return EntraClaims.of(accessToken);
  }

  @Override
  public String toString() {
    return "AzureToken[accessToken=***, expiresOn=" + expiresOn + "]";
  }
}
