package dev.stint.mint.aws;

import dev.stint.common.AwsSessionPolicy;
import dev.stint.mint.IssuedUnder;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One issuance: the role, what it is issued under and who asked. {@code person} (an email or a
 * subject) becomes the session name, for people reading CloudTrail; {@code sourceIdentity} (see
 * {@link SourceIdentities}) is what revocation keys on besides the grant tag. {@code lifetime} is
 * already capped; {@code hardEnd} is where the session policy denies everything. {@code
 * sessionPolicy} is what the session policy holds besides that cap (source networks, the profile's
 * narrowing).
 */
public record AwsMintRequest(
    AwsRole role,
    IssuedUnder under,
    String profile,
    String person,
    String sourceIdentity,
    Duration lifetime,
    Instant hardEnd,
    AwsSessionPolicy sessionPolicy) {

  /** A request whose session is only capped at the hard end. */
  public AwsMintRequest(
      AwsRole role,
      IssuedUnder under,
      String profile,
      String person,
      String sourceIdentity,
      Duration lifetime,
      Instant hardEnd) {
    this(role, under, profile, person, sourceIdentity, lifetime, hardEnd, AwsSessionPolicy.NONE);
  }

  public AwsMintRequest {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(under, "under");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(sourceIdentity, "sourceIdentity");
    if (!sourceIdentity.matches(SourceIdentities.ALLOWED)) {
      throw new IllegalArgumentException("not a valid AWS source identity");
    }
    Objects.requireNonNull(lifetime, "lifetime");
    Objects.requireNonNull(hardEnd, "hardEnd");
    Objects.requireNonNull(sessionPolicy, "sessionPolicy");
  }
}
