package dev.stint.access;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The timers' rounds ({@link Sweeps}): the sweeper's ({@link RequestSweep}) and {@code end_when}'s
 * ({@link EndWhenSweep}), each on the policy in force when it starts.
 */
final class RequestSweeps implements Sweeps {
  private final AccessCore core;
  private final RoutingSweep routing;

  RequestSweeps(AccessCore core) {
    this.core = core;
    this.routing = new RoutingSweep(core.store().routing(), core.policies(), core.audit());
  }

  @Override
  public Future<Integer> sweep() {
    return new RequestSweep(
            core.store(), core.audit(), core.settings(), routing, this::now, core.feed())
        .run();
  }

  @Override
  public Future<Integer> recheckEnds(Duration recheck) {
    AccessStore store = core.store();
    return new EndWhenSweep(
            store,
            core.audit(),
            core.policies().current(),
            this::now,
            (r, profile) ->
                store
                    .factSubject(r)
                    .compose(
                        holder ->
                            core.lookups()
                                .gatherAbout(
                                    profile.endNeeds(),
                                    holder,
                                    Optional.empty(),
                                    Optional.of(FactContexts.asked(r)))),
            core.feed())
        .run(recheck);
  }

  private Instant now() {
    return Act.now(core.clock());
  }
}
