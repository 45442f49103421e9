package dev.stint.mint.aws;

import dev.stint.policy.AwsSessionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One issuance: the role, the grant it serves and who asked. {@code person} (an email or a
 * subject) becomes the session name, for people reading CloudTrail; {@code sourceIdentity} (see
 * {@link SourceIdentities}) is what revocation keys on; {@code requested} empty means as long
 * as the profile and grant allow. {@code sessionPolicy} is what the session policy holds besides
 * the grant-end cap (source networks, the profile's narrowing).
 */
public record AwsMintRequest(
    AwsRole role,
    String grantId,
    String profile,
    String person,
    String sourceIdentity,
    Instant grantEndsAt,
    Optional<Duration> requested,
    Duration profileMax,
    AwsSessionPolicy sessionPolicy) {

  /** A request whose session is only capped at the grant's end. */
  public AwsMintRequest(AwsRole role, String grantId, String profile, String person,
      String sourceIdentity, Instant grantEndsAt, Optional<Duration> requested,
      Duration profileMax) {
    this(role, grantId, profile, person, sourceIdentity, grantEndsAt, requested, profileMax,
        AwsSessionPolicy.NONE);
  }

  public AwsMintRequest {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(grantId, "grantId");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(sourceIdentity, "sourceIdentity");
    if (!sourceIdentity.matches(SourceIdentities.ALLOWED)) {
      throw new IllegalArgumentException("not a valid AWS source identity");
    }
    Objects.requireNonNull(grantEndsAt, "grantEndsAt");
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(profileMax, "profileMax");
    Objects.requireNonNull(sessionPolicy, "sessionPolicy");
  }
}
