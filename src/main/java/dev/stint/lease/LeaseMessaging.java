package dev.stint.lease;

import dev.stint.access.AccessRequest;
import dev.stint.identity.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.Optional;

/** Agents' asks as Slack's messages read them ({@link LeaseMessages}) on {@link Leases}. */
public final class LeaseMessaging implements LeaseMessages {
  private final LeaseDeciding deciding;
  private final LeaseStore store;

  public LeaseMessaging(Leases leases, Pool pool) {
    this.deciding = leases.deciding;
    this.store = new LeaseStore(pool);
  }

  @Override
  public Future<Optional<Lease>> find(String leaseId) {
    return store.find(leaseId);
  }

  @Override
  public boolean couldApprove(Principal p, AccessRequest request, Lease lease) {
    return deciding.couldApprove(p, request, lease);
  }
}
