package dev.stint.mint.aws;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The session policy every stint session carries: it allows whatever the role allows and denies
 * everything once {@code aws:CurrentTime} passes the grant's end. STS cannot issue a session
 * shorter than 15 minutes; this is what ends a session early when the grant does.
 */
public final class SessionPolicies {
  /** STS's limit on the plain-text session policy. */
  static final int MAX_CHARS = 2048;

  private SessionPolicies() {}

  /** Compact JSON (AWS counts the characters); the time is whole seconds in UTC. */
  public static String denyAfter(Instant grantEndsAt) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
        + "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
        + "{\"DateGreaterThan\":{\"aws:CurrentTime\":\""
        + grantEndsAt.truncatedTo(ChronoUnit.SECONDS) + "\"}}}]}";
  }
}
