package dev.stint.policy;

import dev.stint.access.AccessRequest;

/**
 * Test-only: a policy class that uses access, which the dependency table forbids. The architecture
 * test checks that its rules reject it; the main check never sees it.
 */
public final class ForbiddenImportFixture {
  private ForbiddenImportFixture() {}

  public static String profileOf(AccessRequest request) {
    return request.profile();
  }
}
