package dev.stint.mint.gcp;

import java.time.Instant;

/**
 * A minted Google OAuth access token and when Google says it expires. The HTTP answer is {@code
 * {cloud:"gcp", access_token, expires_at}}. {@link #toString()} never shows the token.
 */
public record GcpToken(String accessToken, Instant expiresAt) {
  @Override
  public String toString() {
    return "GcpToken[accessToken=***, expiresAt=" + expiresAt + "]";
  }
}
