package dev.stint.db;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgNotification;
import io.vertx.pgclient.pubsub.PgChannel;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.spi.ConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTEN on a connection of its own, for stint's announcements ({@code stint_audit}, {@code
 * stint_directory}): Vert.x's {@link PgSubscriber}, made like every other connection stint opens
 * (its connect deadline, TCP keepalive; Vert.x's own takes the default transport, with neither) and
 * watched. A LISTEN connection only ever receives, so a silent database would leave it waiting for
 * ever, every announcement lost: every {@link DatabaseTimeouts#keepalive()} it asks {@code SELECT
 * 1} within the statement deadline, and one that goes unanswered is dropped. A connection lost
 * either way is made again after the reconnect policy's delay, its channels listened to again and
 * their subscribe handlers called, so that each reads again what it may have missed: as after the
 * database closed it.
 */
final class Listener implements PgSubscriber {
  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

  private final Vertx vertx;
  private final ContextInternal context;
  private final ConnectionFactory<PgConnectOptions> factory;
  private final PgConnectOptions options;
  private final DatabaseTimeouts timeouts;

  // Guarded by this, as is everything of channels.
  private final ListenChannels channels = new ListenChannels(this, this::liveConnection);
  private Function<Integer, Long> reconnectPolicy = attempt -> -1L;
  private Handler<Void> closeHandler;
  private PgConnection conn;
  private GuardedConnection watched;
  private boolean closed = true;
  private long heartbeat = -1;
  private int failedAttempts;
  private boolean beating;

  Listener(Vertx vertx, PgConnectOptions options, NetClientOptions transport, DatabaseTimeouts t) {
    this.vertx = vertx;
    this.context = (ContextInternal) vertx.getOrCreateContext();
    this.factory = new LinkedDriver(t).createConnectionFactory(vertx, transport);
    this.options = new PgConnectOptions(options);
    this.timeouts = t;
  }

  @Override
  public PgChannel channel(String name) {
    return channels.channel(name);
  }

  /** The live connection, watched, or null between connections; read holding this. */
  private GuardedConnection liveConnection() {
    return watched;
  }

  @Override
  public Future<Void> connect() {
    Promise<Void> first = context.promise();
    synchronized (this) {
      if (!closed) {
        first.complete();
        return first.future();
      }
      closed = false;
    }
    context.runOnContext(v -> attempt(first));
    return first.future();
  }

  @Override
  public synchronized PgSubscriber reconnectPolicy(Function<Integer, Long> policy) {
    reconnectPolicy = policy == null ? attempt -> -1L : policy;
    return this;
  }

  @Override
  public synchronized PgSubscriber closeHandler(Handler<Void> handler) {
    closeHandler = handler;
    return this;
  }

  @Override
  public synchronized PgConnection actualConnection() {
    return conn;
  }

  @Override
  public synchronized boolean closed() {
    return closed;
  }

  @Override
  public Future<Void> close() {
    PgConnection c;
    GuardedConnection w;
    synchronized (this) {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      stopHeartbeat();
      c = conn;
      w = watched;
      conn = null;
      watched = null;
    }
    Promise<Void> done = Promise.promise();
    if (c == null) {
      done.complete();
    } else {
      // A goodbye the database may never answer: not waited on past the deadline.
      Deadline.of(
              context,
              Deadline.millis(timeouts.statement()),
              "the goodbye",
              c.close(),
              w::drop,
              x -> {})
          .onComplete(x -> done.complete());
    }
    return done.future()
        .eventually(() -> Future.<Void>future(p -> factory.close(p)))
        .andThen(x -> ended());
  }

  /** One try at a connection with every channel listened to; {@code first} is connect()'s. */
  private void attempt(Promise<Void> first) {
    PgConnection[] made = new PgConnection[1];
    GuardedConnection[] guarded = new GuardedConnection[1];
    factory
        .connect(context, options)
        .compose(
            sql -> {
              PgConnection c = PgConnection.cast(sql);
              String listen;
              synchronized (this) {
                if (closed) {
                  c.close();
                  return Future.failedFuture("closed");
                }
                made[0] = c;
                guarded[0] = new GuardedConnection(c, vertx, Deadline.millis(timeouts.statement()));
                conn = c;
                watched = guarded[0];
                listen = channels.listenAll();
              }
              c.notificationHandler(this::notified);
              c.closeHandler(v -> context.runOnContext(x -> lost(c)));
              return listen.isEmpty()
                  ? Future.succeededFuture()
                  : guarded[0].query(listen).execute().<Void>mapEmpty();
            })
        .onComplete(
            done -> {
              if (done.succeeded()) {
                listening();
                if (first != null) {
                  first.tryComplete();
                }
                return;
              }
              LOG.warn("LISTEN connection could not be made: {}", done.cause().getMessage());
              if (first != null) {
                first.tryFail(done.cause());
              }
              if (made[0] == null) {
                retry();
              } else {
                // Made, but LISTEN failed: dropped, and lost() makes the next try (once, however
                // often it is told).
                guarded[0].drop();
                lost(made[0]);
              }
            });
  }

  /** Listening on every channel: the heartbeat starts, each channel reads what it missed. */
  private void listening() {
    List<Handler<Void>> subscribed = new ArrayList<>();
    synchronized (this) {
      failedAttempts = 0;
      stopHeartbeat();
      heartbeat = context.setPeriodic(Deadline.millis(timeouts.keepalive()), t -> beat());
      subscribed.addAll(channels.subscribeHandlers());
    }
    subscribed.forEach(h -> h.handle(null));
  }

  /** Asks the database for an answer; a connection that gives none in time is dropped. */
  private void beat() {
    GuardedConnection w;
    synchronized (this) {
      if (beating || watched == null) {
        return;
      }
      beating = true;
      w = watched;
    }
    w.query("SELECT 1")
        .execute()
        .onComplete(
            done -> {
              synchronized (this) {
                beating = false;
              }
              if (done.failed()) {
                LOG.warn(
                    "LISTEN connection did not answer, dropping it: {}", done.cause().getMessage());
                w.drop();
              }
            });
  }

  private void stopHeartbeat() {
    if (heartbeat != -1) {
      vertx.cancelTimer(heartbeat);
      heartbeat = -1;
    }
  }

  /** The connection closed, by the database or by stint: made again unless closed for good. */
  private void lost(PgConnection c) {
    synchronized (this) {
      if (c != conn) {
        return;
      }
      conn = null;
      watched = null;
      stopHeartbeat();
      if (closed) {
        return;
      }
    }
    LOG.warn("LISTEN connection lost; making it again");
    retry();
  }

  private void retry() {
    long delay;
    synchronized (this) {
      if (closed) {
        return;
      }
      delay = reconnectPolicy.apply(failedAttempts++);
      if (delay < 0) {
        closed = true;
      }
    }
    if (delay < 0) {
      ended();
      return;
    }
    context.setTimer(
        Math.max(1, delay),
        t -> {
          synchronized (this) {
            if (closed) {
              return;
            }
          }
          attempt(null);
        });
  }

  /** Closed for good: every channel's end handler, then the close handler. */
  private void ended() {
    List<Handler<Void>> ends = new ArrayList<>();
    Handler<Void> onClose;
    synchronized (this) {
      ends.addAll(channels.endAll());
      onClose = closeHandler;
    }
    ends.forEach(h -> h.handle(null));
    if (onClose != null) {
      onClose.handle(null);
    }
  }

  private void notified(PgNotification n) {
    List<Handler<String>> handlers = new ArrayList<>();
    synchronized (this) {
      handlers.addAll(channels.eventHandlers(n.getChannel()));
    }
    handlers.forEach(h -> h.handle(n.getPayload()));
  }
}
