package dev.stint.notify.slack;

import com.slack.api.Slack;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import dev.stint.common.SecureUrls;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's Socket Mode: stint opens a WebSocket to Slack itself (the address {@code
 * apps.connections.open} gives for the app token), and Slack sends the clicks down it, so nothing
 * from Slack has to reach stint.
 *
 * <p>Each replica holds one connection, and Slack hands each envelope to one of the app's
 * connections. An envelope is claimed in the database before it is handled ({@link
 * SlackEnvelopes}), so one that Slack sends again, to this replica or another, is handled once. It
 * is acknowledged once handled, or {@link SlackEnvelopeHandler#ACK_WITHIN} after it came at the
 * latest, inside the three seconds Slack waits; a click still being decided then is told its
 * outcome in Slack anyway.
 *
 * <p>A new connection is opened when Slack asks ({@code disconnect}: the new one is open before the
 * old one closes), when the connection closes, and when a ping goes unanswered; after a failure,
 * each attempt waits twice as long as the last, up to {@link #RETRY_MAX}. Only Slack's error code
 * is ever logged: the WebSocket address carries a ticket that opens a connection for the app.
 *
 * <p>All state is kept on one Vert.x context; the Slack client's threads only hand events over.
 */
public final class SlackSocket implements AutoCloseable, SlackSocketConnection.Events {
  private static final Logger LOG = LoggerFactory.getLogger(SlackSocket.class);
  static final Duration HELLO_WITHIN = Duration.ofSeconds(10);
  static final Duration CHECK_EVERY = Duration.ofSeconds(10);
  static final Duration RETRY_FIRST = Duration.ofSeconds(1);
  static final Duration RETRY_MAX = Duration.ofMinutes(1);

  /**
   * A connection that lived this long was healthy: the next reconnect starts from the shortest
   * wait.
   */
  static final Duration STABLE = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final Context context;
  private final Slack slack;
  private final String appToken;
  private final SlackEnvelopeHandler handler;
  private final Clock clock;

  // Every connection made and not yet closed: close() closes them all, whatever their state.
  private final Set<SlackSocketConnection> all = ConcurrentHashMap.newKeySet();
  // Written on the context only; `serving` and `closed` are also read by close() and the metrics.
  private volatile SlackSocketConnection serving;
  private volatile boolean closed;
  private volatile long checkTimer = -1;
  private Instant servingSince = Instant.EPOCH;
  private boolean opening;
  private long retryTimer = -1;
  private Duration nextWait = RETRY_FIRST;

  /** {@code api}'s Slack client asks for the addresses; clicks go to {@code interactions}. */
  public SlackSocket(
      Vertx vertx,
      SlackWebApi api,
      String appToken,
      SlackInteractions interactions,
      SlackEnvelopes envelopes,
      Clock clock) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.slack = api.sdk();
    this.appToken = appToken;
    this.handler = new SlackEnvelopeHandler(vertx, interactions, envelopes, clock);
    this.clock = clock;
  }

  /**
   * Starts connecting, in the background: a Slack that cannot be reached does not stop stint. A
   * proxy that asks for a user name and password cannot carry the WebSocket (the client's backend
   * does not support it): said once, and no connection is tried.
   */
  public void start() {
    Optional<String> proxy = Optional.ofNullable(slack.getConfig().getProxyUrl());
    if (proxy.map(URI::create).map(URI::getRawUserInfo).isPresent()) {
      LOG.error(
          "Slack Socket Mode is off: the HTTPS proxy asks for a user name and password, which the"
              + " WebSocket client cannot send; use a proxy without them, or a signing secret"
              + " and the interaction endpoint");
      return;
    }
    context.runOnContext(
        v -> {
          checkTimer = vertx.setPeriodic(CHECK_EVERY.toMillis(), id -> check());
          open("starting");
        });
  }

  /** Whether a connection is open and has had Slack's {@code hello}. */
  public boolean connected() {
    return serving != null;
  }

  /** Opens a new connection unless one is opening; the serving one stays until it is ready. */
  private void open(String why) {
    if (closed || opening) {
      return;
    }
    opening = true;
    cancelRetry();
    vertx
        .executeBlocking(this::connect, false)
        .onComplete(
            ar -> {
              opening = false;
              if (ar.failed()) {
                retry(
                    "could not open a Socket Mode connection ("
                        + why
                        + "): "
                        + SocketRefusal.safe(ar.cause()));
                return;
              }
              SlackSocketConnection c = ar.result();
              vertx.setTimer(HELLO_WITHIN.toMillis(), id -> noHello(c));
            });
  }

  /** Asks Slack for an address, checks it, and starts the WebSocket's handshake. */
  private SlackSocketConnection connect() throws IOException, URISyntaxException {
    AppsConnectionsOpenResponse r;
    try {
      r = slack.methods().appsConnectionsOpen(q -> q.token(appToken));
    } catch (SlackApiException e) {
      throw new SocketRefusal("Slack answered HTTP " + e.getResponse().code());
    }
    if (!r.isOk()) {
      throw new SocketRefusal("Slack refused apps.connections.open: " + r.getError());
    }
    URI wss = address(r.getUrl());
    SlackSocketConnection c = new SlackSocketConnection(slack, appToken, wss, this);
    all.add(c);
    if (closed) {
      all.remove(c);
      c.close();
      throw new SocketRefusal("stint is stopping");
    }
    c.connect();
    return c;
  }

  /**
   * The address Slack gave, only over TLS ({@code wss}), or plain {@code ws} to this machine (a
   * local stand-in): over plain WebSocket anyone on the path could send clicks.
   */
  static URI address(String url) throws IOException {
    URI u;
    try {
      u = new URI(url == null ? "" : url);
    } catch (URISyntaxException e) {
      throw new SocketRefusal("Slack gave no usable WebSocket address");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme();
    if (u.getHost() == null
        || !("wss".equals(scheme) || "ws".equals(scheme) && SecureUrls.loopbackHost(u.getHost()))) {
      // The address is not repeated: its query carries the connection's ticket.
      throw new SocketRefusal(
          "Slack gave a WebSocket address stint will not use (scheme '"
              + scheme
              + "'): only wss, or ws to a loopback address");
    }
    return u;
  }

  /** The newest greeted connection serves; the one it replaces is closed. */
  @Override
  public void hello(SlackSocketConnection c, int connections) {
    onContext(
        () -> {
          if (!all.contains(c) || c == serving) {
            return;
          }
          cancelRetry();
          SlackSocketConnection old = serving;
          serving = c;
          servingSince = clock.instant();
          LOG.info("Slack Socket Mode: connected ({} connection(s) for the app)", connections);
          if (old != null) {
            shut(old);
          }
        });
  }

  /**
   * Slack's notice that a connection will close: a new one is opened at once, except when Socket
   * Mode was turned off for the app ({@code link_disabled}), where asking again soon is pointless.
   */
  @Override
  public void disconnectAsked(SlackSocketConnection c, String reason) {
    onContext(
        () -> {
          if (c != serving) {
            return;
          }
          LOG.info("Slack Socket Mode: Slack asked to reconnect ({})", reason);
          if ("link_disabled".equals(reason)) {
            nextWait = RETRY_MAX;
            retry("Slack turned Socket Mode off for the app (link_disabled)");
          } else {
            open("Slack asked: " + reason);
          }
        });
  }

  @Override
  public void lost(SlackSocketConnection c, String why) {
    onContext(
        () -> {
          all.remove(c);
          if (c != serving) {
            return;
          }
          serving = null;
          shut(c);
          if (Duration.between(servingSince, clock.instant()).compareTo(STABLE) >= 0) {
            nextWait = RETRY_FIRST;
          }
          retry("Slack Socket Mode: the connection was lost (" + why + ")");
        });
  }

  /** A connection still not greeted: closed, and another tried. */
  private void noHello(SlackSocketConnection c) {
    if (!c.greeted() && !closed) {
      shut(c);
      retry("Slack sent no hello on the new Socket Mode connection");
    }
  }

  /** Every {@link #CHECK_EVERY}: a serving connection must answer a ping; with none, one opens. */
  private void check() {
    SlackSocketConnection c = serving;
    if (closed) {
      return;
    }
    if (c == null) {
      if (!opening && retryTimer < 0) {
        open("no connection");
      }
      return;
    }
    vertx
        .executeBlocking(c::verifyConnection, false)
        .onSuccess(
            alive -> {
              if (!alive && c == serving) {
                serving = null;
                shut(c);
                LOG.warn("Slack Socket Mode: a ping went unanswered; reconnecting");
                open("a ping went unanswered");
              }
            });
  }

  private void retry(String message) {
    LOG.warn("{}; trying again in {}s", message, nextWait.toSeconds());
    retryIn(nextWait, "a retry");
    Duration doubled = nextWait.multipliedBy(2);
    nextWait = doubled.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : doubled;
  }

  private void retryIn(Duration wait, String why) {
    if (closed) {
      return;
    }
    cancelRetry();
    retryTimer =
        vertx.setTimer(
            wait.toMillis(),
            id -> {
              retryTimer = -1;
              open(why);
            });
  }

  private void cancelRetry() {
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  @Override
  public void envelope(SlackSocketConnection c, String envelopeId, String payload) {
    onContext(() -> handler.handle(c, envelopeId, payload));
  }

  /**
   * Hands a connection's event to the context. Once closed there is nothing to do, and the context
   * may be gone: an envelope that comes then is not acknowledged, so Slack does not count it as
   * delivered.
   */
  private void onContext(Runnable action) {
    if (closed) {
      return;
    }
    try {
      context.runOnContext(v -> action.run());
    } catch (RejectedExecutionException e) {
      LOG.debug("Slack Socket Mode: an event came after Vert.x stopped");
    }
  }

  private void shut(SlackSocketConnection c) {
    all.remove(c);
    vertx
        .executeBlocking(
            () -> {
              c.close();
              return null;
            },
            false)
        .onFailure(e -> LOG.debug("closing a Socket Mode connection: {}", SocketRefusal.safe(e)));
  }

  /**
   * Stops reconnecting and closes every connection made, on the calling thread: at shutdown nothing
   * of the socket may outlive the server.
   */
  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(checkTimer);
    for (SlackSocketConnection c : List.copyOf(all)) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("closing a Socket Mode connection: {}", SocketRefusal.safe(e));
      }
    }
    all.clear();
    serving = null;
  }
}
