package dev.stint.mint.azure;

import java.time.Instant;

/**
 * A minted Entra access token and when Entra says it expires. The HTTP answer is {@code
 * {cloud:"azure", access_token, expires_on}}. {@link #toString()} never shows the token.
 */
public record AzureToken(String accessToken, Instant expiresOn) {
  @Override
  public String toString() {
    return "AzureToken[accessToken=***, expiresOn=" + expiresOn + "]";
  }
}
