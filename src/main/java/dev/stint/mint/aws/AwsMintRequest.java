package dev.stint.mint.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One issuance: the role, the grant it serves and who asked. {@code person} (an email or a
 * subject) becomes the session name and source identity; {@code requested} empty means as long
 * as the profile and grant allow.
 */
public record AwsMintRequest(
    AwsRole role,
    String grantId,
    String profile,
    String person,
    Instant grantEndsAt,
    Optional<Duration> requested,
    Duration profileMax) {

  public AwsMintRequest {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(grantId, "grantId");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(grantEndsAt, "grantEndsAt");
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(profileMax, "profileMax");
  }
}
