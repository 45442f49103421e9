package dev.stint.issuance;

import dev.stint.cloud.AwsTarget;
import dev.stint.policy.Profile;

/**
 * Test-only: an issuance class that branches on one cloud's target, which the cloud rule forbids.
 * The architecture test checks that the rule rejects it; the main check never sees it.
 */
public final class CloudNamingFixture {
  private CloudNamingFixture() {}

  public static boolean isAws(Profile profile) {
    return profile.target() instanceof AwsTarget;
  }
}
