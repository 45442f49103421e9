package dev.stint.access;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Who hears of changes once they commit: the outbox worker is poked, so the rows written with the
 * changes are delivered now, and in-process listeners are told. Every path that commits a change
 * (decisions, sweeps, leavers, notes, new requests) tells this feed and nothing else, so none of
 * them needs the use cases that started it.
 */
final class ChangeFeed implements Consumer<List<RequestListener.Change>> {
  private final List<RequestListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Runnable afterCommit = () -> {};

  /** Adds a listener told of every committed change (notifications, cloud-side revocation). */
  void listen(RequestListener listener) {
    listeners.add(listener);
  }

  /** What to run once changes have committed: the outbox worker's poke, in the server. */
  void afterCommit(Runnable run) {
    afterCommit = run;
  }

  /** Runs what follows a commit without a change to tell: a row put back in the outbox's line. */
  void poke() {
    afterCommit.run();
  }

  @Override
  public void accept(List<RequestListener.Change> changes) {
    afterCommit.run();
    changes.forEach(change -> listeners.forEach(l -> l.changed(change)));
  }
}
