package dev.stint.lease;

import dev.stint.access.Caller;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;

/** An enrolled agent's asks ({@link LeaseAsks}) on {@link Leases}, for the agents package. */
public final class LeaseAsking implements LeaseAsks {
  private final LeaseCreation creation;
  private final LeaseStore store;

  public LeaseAsking(Leases leases, Pool pool) {
    this.creation = leases.creation;
    this.store = new LeaseStore(pool);
  }

  @Override
  public Future<Lease> ask(Caller agent, Ask ask) {
    return creation.ask(agent, ask);
  }

  @Override
  public Future<List<Lease>> ofAgent(String agentId) {
    return store.ofAgent(agentId);
  }
}
