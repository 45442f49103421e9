package dev.stint.mint.aws;

import dev.stint.mint.Credential;
import java.time.Instant;

/**
 * Temporary AWS credentials. {@code expiration} is the earlier of the STS expiry and the grant's
 * end, so tools refresh (and meet the grant's end) on time; {@code stsExpiration} is what STS
 * said. {@link #toString()} hides the secret and the token, so a logged session leaks nothing.
 */
public record AwsSession(
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    Instant expiration,
    Instant stsExpiration) implements Credential {

  @Override
  public String cloud() {
    return "aws";
  }

  /** {@link #expiration}: STS's own may be later, and the session policy denies past this. */
  @Override
  public Instant expiresAt() {
    return expiration;
  }

  @Override
  public String toString() {
    return "AwsSession[accessKeyId=" + accessKeyId + ", secretAccessKey=***, sessionToken=***"
        + ", expiration=" + expiration + ", stsExpiration=" + stsExpiration + "]";
  }
}
