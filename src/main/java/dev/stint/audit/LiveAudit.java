package dev.stint.audit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgChannel;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live audit stream: LISTENs on {@code stint_audit} (every replica's writer NOTIFYs there on
 * commit) and hands each new record, in seq order, to local subscribers. A notification only says
 * "something new"; the records themselves are read from the table after the last one delivered, so
 * a dropped notification or a reconnect loses nothing.
 *
 * <p>Its LISTEN connection comes from the server's database ({@code db.Database#subscriber}), which
 * asks it for an answer regularly: one gone silent is dropped and made again, and the records
 * committed meanwhile are read then, as after a database restart.
 */
public final class LiveAudit {
  private static final Logger LOG = LoggerFactory.getLogger(LiveAudit.class);
  private static final int FETCH = 500;
  private static final long RECONNECT_MS = 1_000;

  private final Supplier<PgSubscriber> listeners;
  private final AuditReader reader;
  private final Context context;
  private final Map<Long, Subscriber> subscribers = new LinkedHashMap<>();
  private PgSubscriber pg;
  private long delivered;
  private long nextId;
  private boolean fetching;
  private boolean again;

  /** A local listener; records reach it on the context it subscribed from. */
  private record Subscriber(Context context, Consumer<AuditRecord> sink) {}

  /** Ends a subscription. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /** Listening through a subscriber of {@code listeners} (made once, on the stream's context). */
  public LiveAudit(Vertx vertx, Supplier<PgSubscriber> listeners, AuditReader reader) {
    this.listeners = listeners;
    this.reader = reader;
    this.context = vertx.getOrCreateContext();
  }

  /** Listening through Vert.x's own subscriber, made with {@code connectOptions}. */
  public LiveAudit(Vertx vertx, PgConnectOptions connectOptions, AuditReader reader) {
    this(vertx, () -> PgSubscriber.subscriber(vertx, connectOptions), reader);
  }

  /** Starts listening; records committed from now on are delivered. */
  public Future<Void> start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(
        v ->
            reader
                .headSeq()
                .compose(
                    head -> {
                      delivered = head;
                      pg =
                          listeners
                              .get()
                              // Keep trying for as long as stint runs: the stream must come back by
                              // itself.
                              .reconnectPolicy(attempt -> RECONNECT_MS);
                      PgChannel channel = pg.channel(BatchWriter.CHANNEL);
                      // Called on every (re)connect once LISTEN is in place: fetch what was missed
                      // meanwhile.
                      channel.subscribeHandler(x -> fetch());
                      channel.handler(this::notified);
                      return pg.connect();
                    })
                .onComplete(started));
    return started.future();
  }

  /**
   * Subscribes {@code sink}; once the future completes, every record committed later (by any
   * replica) reaches it. Records already in the table are for the caller to read.
   */
  public Future<Subscription> subscribe(Consumer<AuditRecord> sink) {
    Context from = Vertx.currentContext();
    Subscriber s = new Subscriber(from == null ? context : from, sink);
    Promise<Subscription> registered = Promise.promise();
    context.runOnContext(
        v -> {
          long n = nextId++;
          subscribers.put(n, s);
          Subscription handle = () -> context.runOnContext(x -> subscribers.remove(n));
          s.context().runOnContext(x -> registered.complete(handle));
        });
    return registered.future();
  }

  /** The highest seq handed to subscribers (records up to it are in the table). */
  public Future<Long> deliveredSeq() {
    Promise<Long> p = Promise.promise();
    context.runOnContext(v -> p.complete(delivered));
    return p.future();
  }

  public Future<Void> close() {
    return pg == null ? Future.succeededFuture() : pg.close();
  }

  /** Payload "FIRST-LAST" (see BatchWriter); with nobody listening there is nothing to read. */
  private void notified(String payload) {
    if (subscribers.isEmpty() && !fetching) {
      try {
        long last = Long.parseLong(payload.substring(payload.indexOf('-') + 1));
        delivered = Math.max(delivered, last);
        return;
      } catch (RuntimeException e) {
        LOG.warn("unexpected payload on {}; reading the table instead", BatchWriter.CHANNEL);
      }
    }
    fetch();
  }

  private void fetch() {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    again = false;
    reader
        .after(delivered, FETCH)
        .onComplete(
            ar -> {
              fetching = false;
              if (ar.failed()) {
                LOG.warn("live audit could not read new events: {}", ar.cause().getMessage());
                return; // the next notification or reconnect tries again
              }
              deliver(ar.result());
              if (again || ar.result().size() == FETCH) {
                fetch();
              }
            });
  }

  private void deliver(List<AuditRecord> records) {
    for (AuditRecord r : records) {
      if (r.seq() <= delivered) {
        continue;
      }
      delivered = r.seq();
      for (Subscriber s : subscribers.values()) {
        s.context().runOnContext(v -> s.sink().accept(r));
      }
    }
  }
}
