package dev.stint.mint;

import dev.stint.policy.Profile;
import java.time.Duration;
import java.util.Optional;

/**
 * Test-only: a mint class that reads a profile's token cap, which the rule that minting never reads
 * the policy forbids. The architecture test checks that the rule rejects it; the main check never
 * sees it.
 */
public final class PolicyReadingFixture {
  private PolicyReadingFixture() {}

  public static Optional<Duration> cap(Profile profile) {
    return profile.maxTokenLifetime();
  }
}
