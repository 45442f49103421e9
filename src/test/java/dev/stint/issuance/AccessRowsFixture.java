package dev.stint.issuance;

import dev.stint.access.AccessRequest;
import dev.stint.access.StoredRequests;
import io.vertx.core.Future;

/**
 * Test-only: an issuance class that writes request rows itself, through one more public type of
 * access than the ports and values it may show ({@code StoredRequests}, a test type of access). The
 * architecture test checks that the rule on access's public face rejects it; the main check never
 * sees it.
 */
public final class AccessRowsFixture {
  private AccessRowsFixture() {}

  public static Future<AccessRequest> file(StoredRequests rows, AccessRequest r) {
    return rows.insert(r, x -> Future.succeededFuture());
  }
}
