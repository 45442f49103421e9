package dev.stint.issuance;

import dev.stint.access.AccessService;
import dev.stint.access.Caller;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Test-only: an issuance class that revokes through the whole access service, which the Grants port
 * rule forbids. The architecture test checks that the rule rejects it; the main check never sees
 * it.
 */
public final class AccessServiceFixture {
  private AccessServiceFixture() {}

  public static Future<?> revoke(AccessService access, Caller caller, String id) {
    return access.revoke(caller, id, Optional.empty());
  }
}
