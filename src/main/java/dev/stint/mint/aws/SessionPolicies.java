package dev.stint.mint.aws;

import dev.stint.common.AwsSessionPolicy;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.sts.model.PolicyDescriptorType;

/**
 * The session policy every stint session carries: it allows whatever the role allows and denies
 * everything once {@code aws:CurrentTime} passes the grant's end. STS cannot issue a session
 * shorter than 15 minutes; this is what ends a session early when the grant does.
 */
public final class SessionPolicies {
  /** STS's limit on the plain-text session policy. */
  static final int MAX_CHARS = AwsSessionPolicy.MAX_CHARS;

  private SessionPolicies() {}

  /** Compact JSON (AWS counts the characters); the time is whole seconds in UTC. */
  public static String denyAfter(Instant grantEndsAt) {
    return AwsSessionPolicy.NONE.document(grantEndsAt);
  }

  /** A session's whole inline session policy: narrowing, grant-end cap, source networks. */
  static String document(AwsSessionPolicy policy, Instant hardEnd) {
    return policy.document(hardEnd);
  }

  /** The managed session policies ({@code PolicyArns}); empty when the profile names none. */
  static List<PolicyDescriptorType> arns(AwsSessionPolicy policy) {
    return policy.policyArns().stream()
        .map(arn -> PolicyDescriptorType.builder().arn(arn).build())
        .toList();
  }
}
