package dev.stint.db;

import io.vertx.core.Handler;
import io.vertx.pgclient.pubsub.PgChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The channels a {@link Listener} listens on and their subscriptions: the statement that listens to
 * all of them on a new connection, and the handlers a notification, a new connection or the end
 * reaches. A channel's first subscription listens on the live connection, its last one unlistens.
 * Everything here is guarded by the listener's lock: its methods are called holding it, and a
 * subscription's own methods take it, since the application calls them from any thread.
 */
final class ListenChannels {
  /** Postgres's identifiers: at most NAMEDATALEN - 1 bytes. */
  private static final int MAX_CHANNEL_NAME = 63;

  private final Object lock;
  private final Supplier<GuardedConnection> connection;
  private final Map<String, List<Channel>> channels = new LinkedHashMap<>();

  /**
   * @param lock the listener's lock
   * @param connection the live connection, or null between connections; read holding {@code lock}
   */
  ListenChannels(Object lock, Supplier<GuardedConnection> connection) {
    this.lock = lock;
    this.connection = connection;
  }

  PgChannel channel(String name) {
    return new Channel(
        name.length() > MAX_CHANNEL_NAME ? name.substring(0, MAX_CHANNEL_NAME) : name);
  }

  /** LISTEN to every channel subscribed to, one statement; empty when there is none. */
  String listenAll() {
    return channels.keySet().stream()
        .map(ListenChannels::quoted)
        .map(q -> "LISTEN " + q)
        .collect(Collectors.joining("; "));
  }

  /** What each subscription runs once it is listened to, to read what it may have missed. */
  List<Handler<Void>> subscribeHandlers() {
    return channels.values().stream()
        .flatMap(List::stream)
        .map(ch -> ch.subscribeHandler)
        .filter(h -> h != null)
        .toList();
  }

  /** Every subscription ended: their end handlers, to run once the lock is let go. */
  List<Handler<Void>> endAll() {
    List<Handler<Void>> ends =
        channels.values().stream()
            .flatMap(List::stream)
            .map(ch -> ch.endHandler)
            .filter(h -> h != null)
            .toList();
    channels.clear();
    return ends;
  }

  /** The handlers a notification on {@code channel} goes to: its subscriptions not paused. */
  List<Handler<String>> eventHandlers(String channel) {
    List<Handler<String>> handlers = new ArrayList<>();
    for (Channel ch : channels.getOrDefault(channel, List.of())) {
      if (!ch.paused && ch.eventHandler != null) {
        handlers.add(ch.eventHandler);
      }
    }
    return handlers;
  }

  private static String quoted(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** One subscription to a channel; listened to once it has a handler. */
  private final class Channel implements PgChannel {
    private final String name;
    private Handler<Void> subscribeHandler;
    private Handler<String> eventHandler;
    private Handler<Void> endHandler;
    private boolean paused;
    private boolean added;

    Channel(String name) {
      this.name = name;
    }

    @Override
    public PgChannel subscribeHandler(Handler<Void> handler) {
      synchronized (lock) {
        subscribeHandler = handler;
      }
      return this;
    }

    @Override
    public PgChannel handler(Handler<String> handler) {
      GuardedConnection w = null;
      boolean first = false;
      Handler<Void> end = null;
      synchronized (lock) {
        if (handler != null) {
          eventHandler = handler;
          if (!added) {
            added = true;
            List<Channel> subs = channels.computeIfAbsent(name, k -> new ArrayList<>());
            first = subs.isEmpty();
            subs.add(this);
            w = connection.get();
          }
        } else if (added) {
          added = false;
          eventHandler = null;
          List<Channel> subs = channels.get(name);
          subs.remove(this);
          if (subs.isEmpty()) {
            channels.remove(name);
            GuardedConnection live = connection.get();
            if (live != null) {
              live.query("UNLISTEN " + quoted(name)).execute();
            }
          }
          end = endHandler;
        }
      }
      if (first && w != null) {
        Handler<Void> subscribed = subscribeHandler;
        w.query("LISTEN " + quoted(name))
            .execute()
            .onSuccess(
                x -> {
                  if (subscribed != null) {
                    subscribed.handle(null);
                  }
                });
      }
      if (end != null) {
        end.handle(null);
      }
      return this;
    }

    @Override
    public PgChannel pause() {
      synchronized (lock) {
        paused = true;
      }
      return this;
    }

    @Override
    public PgChannel resume() {
      synchronized (lock) {
        paused = false;
      }
      return this;
    }

    @Override
    public PgChannel fetch(long amount) {
      return resume();
    }

    @Override
    public PgChannel endHandler(Handler<Void> handler) {
      synchronized (lock) {
        endHandler = handler;
      }
      return this;
    }

    @Override
    public PgChannel exceptionHandler(Handler<Throwable> handler) {
      return this;
    }
  }
}
