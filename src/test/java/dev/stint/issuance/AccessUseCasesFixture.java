package dev.stint.issuance;

import dev.stint.access.AccessUseCases;
import dev.stint.access.Caller;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Test-only: an issuance class that revokes through the whole set of access use cases, which the
 * Grants port rule forbids. The architecture test checks that the rule rejects it; the main check
 * never sees it.
 */
public final class AccessUseCasesFixture {
  private AccessUseCasesFixture() {}

  public static Future<?> revoke(AccessUseCases access, Caller caller, String id) {
    return access.decisions().revoke(caller, id, Optional.empty());
  }
}
