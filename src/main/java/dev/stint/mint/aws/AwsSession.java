package dev.stint.mint.aws;

import dev.stint.common.Fingerprints;
import dev.stint.mint.Credential;
import dev.stint.mint.Receipt;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Temporary AWS credentials on {@code roleArn}. {@code expiration} is the earlier of the STS expiry
 * and the grant's end, so tools refresh (and meet the grant's end) on time; {@code stsExpiration}
 * is what STS said. {@code sessionName} and {@code sourceIdentity} are what STS was given, as
 * CloudTrail shows them. {@code region} is the profile's region, which tools need as much as the
 * keys ({@code aws} fails with "You must specify a region" without it); not every profile names
 * one. {@link #toString()} hides the secret and the token, so a logged session leaks nothing.
 */
public record AwsSession(
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    Instant expiration,
    Instant stsExpiration,
    String roleArn,
    String sessionName,
    String sourceIdentity,
    Optional<String> region)
    implements Credential {

  public AwsSession {
    Objects.requireNonNull(region, "region");
  }

  @Override
  public String cloud() {
    return "aws";
  }

  /** {@link #expiration}: STS's own may be later, and the session policy denies past this. */
  @Override
  public Instant expiresAt() {
    return expiration;
  }

  /**
   * The session lives in AWS until {@code stsExpiration}; its session policy denies every call
   * after {@code expiration}, so that is when it stops working.
   */
  @Override
  public Receipt receipt() {
    return Receipt.awsSession(roleArn, accessKeyId, sessionName, sourceIdentity, expiration);
  }

  @Override
  public Map<String, String> wireFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("cloud", cloud());
    fields.put("access_key_id", accessKeyId);
    fields.put("secret_access_key", secretAccessKey);
    fields.put("session_token", sessionToken);
    fields.put("expiration", expiration.toString());
    region.ifPresent(r -> fields.put("region", r));
    return fields;
  }

  @Override
  public Map<String, Object> auditFacts() {
    return Map.of(
        "access_key_id", accessKeyId,
        "session_token_sha256", Fingerprints.sha256(sessionToken),
        "expiration", expiration.toString(),
        "sts_expiration", stsExpiration.toString());
  }

  @Override
  public String toString() {
    return "AwsSession[accessKeyId="
        + accessKeyId
        + ", secretAccessKey=***, sessionToken=***"
        + ", expiration="
        + expiration
        + ", stsExpiration="
        + stsExpiration
        + ", roleArn="
        + roleArn
        + ", sessionName="
        + sessionName
        + ", sourceIdentity="
        + sourceIdentity
        + ", region="
        + region.orElse("")
        + "]";
  }
}
