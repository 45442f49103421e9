package dev.stint.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service address that can move: listens on 127.0.0.1 port 0 and forwards each connection to the
 * target port of the moment, as a DNS name or a Kubernetes service stands in front of whichever
 * Postgres is primary. Moving it closes every connection it carries, the way a moved address leaves
 * connections to the old target broken; new connections go to the new target. A connection whose
 * target does not answer is closed at once (what a client of a dead host's address sees as
 * refused).
 *
 * <p>The address can also fall {@linkplain #silence() silent}: the host behind it (or its zone) is
 * gone, so packets go unanswered instead of being refused. Nothing is forwarded or read any more
 * and nothing is closed: no FIN, no RST, whatever either side sends. New connections are not
 * accepted (the kernel queues a few, whose handshake with Postgres then never ends). Once the
 * address {@linkplain #resume() answers again}, new connections are forwarded; the ones silenced
 * stay silent for good, as connections to a host that never came back do, until this proxy closes.
 */
public final class MovableProxy implements AutoCloseable {
  /** A target that refuses every connection: the address points at nothing (a cut link). */
  public static final int NOWHERE = 0;

  private static final int CONNECT_TIMEOUT_MS = 2_000;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ServerSocket listener;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "movable-proxy-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  /** Guards the target and the open connections: a move and a new connection never interleave. */
  private final Object lock = new Object();

  private final List<Socket> open = new ArrayList<>();

  /** Sockets of connections silenced: never read, written or closed again until {@link #close}. */
  private final Set<Socket> silenced = Collections.newSetFromMap(new IdentityHashMap<>());

  private int target;
  private final AtomicInteger accepted = new AtomicInteger();
  private boolean closed;
  private boolean silent;

  private MovableProxy(ServerSocket listener, int target) {
    this.listener = listener;
    this.target = target;
  }

  /** A proxy on 127.0.0.1 (a port picked now) forwarding to {@code 127.0.0.1:targetPort}. */
  public static MovableProxy to(int targetPort) {
    try {
      ServerSocket listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      MovableProxy proxy = new MovableProxy(listener, targetPort);
      proxy.threads.execute(proxy::acceptLoop);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Connections accepted so far (tests check that a client came back through the proxy). */
  public int accepted() {
    return accepted.get();
  }

  /** Points the address at {@code targetPort} and breaks every connection to the old target. */
  public void moveTo(int targetPort) {
    synchronized (lock) {
      target = targetPort;
      open.forEach(MovableProxy::quietlyClose);
      open.clear();
    }
  }

  /**
   * The address falls silent: every connection open now stops being read or forwarded, and stays
   * so; new connections are not accepted until {@link #resume}. Nothing is closed.
   */
  public void silence() {
    synchronized (lock) {
      silent = true;
      silenced.addAll(open);
      open.clear();
    }
  }

  /**
   * The address answers again: new connections are accepted and forwarded. The ones silenced stay
   * silent (a client must give up on them by itself).
   */
  public void resume() {
    synchronized (lock) {
      silent = false;
      lock.notifyAll();
    }
  }

  /** Connections silenced so far (each counted by both of its sockets). */
  public int silencedSockets() {
    synchronized (lock) {
      return silenced.size();
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        awaitNotSilent();
        Socket client = listener.accept();
        accepted.incrementAndGet();
        threads.execute(() -> connect(client));
      } catch (IOException e) {
        return; // closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** While the address is silent, no connection is accepted. */
  private void awaitNotSilent() throws InterruptedException {
    synchronized (lock) {
      while (silent && !closed) {
        lock.wait();
      }
    }
  }

  /**
   * Whether {@code s} belongs to a silenced connection; if so, waits (reading and forwarding
   * nothing, closing nothing) until the proxy closes.
   */
  private boolean heldSilent(Socket s) {
    synchronized (lock) {
      if (!silenced.contains(s)) {
        return false;
      }
      try {
        while (!closed) {
          lock.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    }
  }

  private void connect(Socket client) {
    int to;
    synchronized (lock) {
      to = target;
    }
    Socket upstream = new Socket();
    try {
      if (to == NOWHERE) {
        throw new IOException("the address points nowhere");
      }
      upstream.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), to), CONNECT_TIMEOUT_MS);
    } catch (IOException e) {
      quietlyClose(upstream);
      quietlyClose(client);
      return;
    }
    synchronized (lock) {
      // Moved (or closed) while this one connected: it belongs to the old target.
      if (closed || target != to) {
        quietlyClose(upstream);
        quietlyClose(client);
        return;
      }
      // Accepted just as the address fell silent: silent with the others.
      (silent ? silenced : open).add(client);
      (silent ? silenced : open).add(upstream);
    }
    threads.execute(() -> pump(client, upstream));
    threads.execute(() -> pump(upstream, client));
  }

  /**
   * Copies one direction until either side ends; then ends both. A silenced pair's pumps stop where
   * they are: what they read last is dropped, and neither an end nor an error on one side reaches
   * the other.
   */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (heldSilent(from)) {
          return;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
      heldSilent(from);
    } catch (IOException e) {
      // The other pump, a move or close ended the pair; or the pair is silent.
      heldSilent(from);
    } finally {
      quietlyClose(from);
      quietlyClose(to);
      synchronized (lock) {
        open.remove(from);
        open.remove(to);
      }
    }
  }

  private static void quietlyClose(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      open.forEach(MovableProxy::quietlyClose);
      open.clear();
      silenced.forEach(MovableProxy::quietlyClose);
      silenced.clear();
      lock.notifyAll();
    }
    try {
      listener.close();
    } catch (IOException ignored) {
      // already closed
    }
    threads.shutdownNow();
  }
}
