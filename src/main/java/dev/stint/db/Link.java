package dev.stint.db;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.util.AttributeKey;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.Connection;
import io.vertx.sqlclient.internal.SqlConnectionBase;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to Postgres, as stint watches it: when it last sent something the database has
 * not answered yet, and a way to drop it at once.
 *
 * <p>Dropping must not ask the database anything. A Vert.x connection closes by sending Terminate
 * and waiting for the server to close its end, and every statement pipelined on it waits for the
 * one before: on a connection whose peer went silent none of that ever ends, so the connection, and
 * every statement queued on it, would hang until TCP itself gave up (about 15 minutes of
 * retransmissions, or never on an idle one). {@link #cut} closes the socket under the Postgres
 * codec instead: each statement in flight fails at once (a closed connection), and the pool forgets
 * the connection.
 *
 * <p>The goodbye itself is bounded the same way: a connection that sent Terminate (a pool closing,
 * an idle connection evicted, a listener closed) and is still open a statement's deadline later is
 * dropped, so that closing a pool never waits on a silent database.
 *
 * <p>It reaches the socket through Vert.x's internal types (the pg client has no public way to drop
 * a connection without its goodbye); {@code SilentDatabaseTest} pins that to the Vert.x version in
 * use.
 */
final class Link extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Link.class);
  private static final AttributeKey<Link> KEY = AttributeKey.valueOf("stint.link");
  private static final String NAME = "stint-link";

  /** Postgres's Terminate message, the last a client sends: 'X' and its length, 4. */
  private static final byte[] TERMINATE = {'X', 0, 0, 0, 4};

  private final Channel channel;
  private final Set<Link> registry;
  private final long graceNanos;
  private volatile ChannelHandlerContext ctx;

  /** When the first write since the last read went out ({@link System#nanoTime()}), if any. */
  private volatile long waitingSince;

  private volatile boolean waiting;
  private volatile boolean cut;

  private Link(Channel channel, Set<Link> registry, long graceNanos) {
    this.channel = channel;
    this.registry = registry;
    this.graceNanos = graceNanos;
  }

  /**
   * Watches {@code conn}, just made (not yet in a pool): sets its TCP keepalive and notes it in
   * {@code registry} until it closes. On the connection's event loop. None when Vert.x's types are
   * not the ones this was written for: the connection then works unwatched (its statements still
   * answer by their deadline, but it is not dropped), and that is logged.
   */
  static Optional<Link> attach(SqlConnection conn, DatabaseTimeouts timeouts, Set<Link> registry) {
    Optional<Channel> socket = channel(conn);
    if (socket.isEmpty()) {
      LOG.error(
          "a database connection ({}) cannot be watched: a silent one will not be dropped",
          conn.getClass().getName());
      return Optional.empty();
    }
    Channel channel = socket.get();
    keepalive(channel, timeouts);
    Link link = new Link(channel, registry, timeouts.statement().toNanos());
    channel.attr(KEY).set(link);
    registry.add(link);
    channel.pipeline().addFirst(NAME, link);
    if (!channel.isActive()) {
      registry.remove(link);
    }
    return Optional.of(link);
  }

  /**
   * The link of {@code conn}, made by the connection factory (one the pool handed out knows its
   * own: {@link GuardedConnection#linkOf}).
   */
  static Optional<Link> of(SqlConnection conn) {
    return channel(conn).map(c -> c.attr(KEY).get());
  }

  private static Optional<Channel> channel(SqlConnection conn) {
    if (!(conn instanceof SqlConnectionBase<?> base)) {
      return Optional.empty();
    }
    Connection inner = base.unwrap().unwrap(); // a pooled connection's own, or itself
    return inner instanceof SocketConnectionBase socket
        ? Optional.of(socket.socket().channelHandlerContext().channel())
        : Optional.empty();
  }

  /**
   * TCP keepalive with stint's timings, so that a dead idle connection is found by the kernel.
   * Vert.x sets {@code SO_KEEPALIVE} but not the timings, which would otherwise be the system's
   * (Linux: two hours before the first probe).
   */
  private static void keepalive(Channel channel, DatabaseTimeouts timeouts) {
    try {
      channel.config().setOption(ChannelOption.SO_KEEPALIVE, true);
      channel
          .config()
          .setOption(
              NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE),
              timeouts.keepaliveIdleSeconds());
      channel
          .config()
          .setOption(
              NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL),
              timeouts.keepaliveIntervalSeconds());
      channel
          .config()
          .setOption(
              NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT),
              DatabaseTimeouts.KEEPALIVE_PROBES);
    } catch (RuntimeException e) {
      // A transport or platform without these options: the statement deadlines still hold.
      LOG.debug("TCP keepalive timings not set on {}: {}", channel, e.toString());
    }
  }

  /**
   * Drops the connection now, without a word to the database: every statement on it fails. Safe
   * from any thread, and more than once.
   */
  void cut() {
    cut = true;
    ChannelHandlerContext c = ctx;
    if (c != null) {
      // From the first handler's context the close goes straight to the socket, past the
      // Postgres codec (which would send Terminate and wait for the server) and past TLS. A
      // channel closed already has no handlers left once it is unregistered: nothing is between
      // its close and the socket then.
      ChannelHandlerContext first = c.pipeline().firstContext();
      if (first != null) {
        first.close();
      } else {
        c.channel().close();
      }
    }
  }

  /**
   * Drops the connection if it has waited {@code nanos} or longer for the database to answer
   * anything since it last sent something. Whether it did.
   */
  boolean cutIfWaiting(long nanos) {
    if (waiting && System.nanoTime() - waitingSince >= nanos) {
      cut();
      return true;
    }
    return false;
  }

  /** Its socket (for tests: the options set on it). */
  Channel channel() {
    return channel;
  }

  /** Whether stint dropped it (rather than the database closing it). */
  boolean wasCut() {
    return cut;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (cut) {
      cut();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (!waiting) {
      waitingSince = System.nanoTime();
      waiting = true;
    }
    if (msg instanceof ByteBuf buf && endsWithTerminate(buf)) {
      ctx.executor()
          .schedule(
              () -> {
                if (ctx.channel().isActive()) {
                  cut(); // the database never took its leave
                }
              },
              graceNanos,
              TimeUnit.NANOSECONDS);
    }
    super.write(ctx, msg, promise);
  }

  /**
   * Whether a write ends with Terminate. Nothing else the client sends once connected can end so:
   * an extended query ends with Sync ('S'), a simple one with its text's NUL.
   */
  static boolean endsWithTerminate(ByteBuf buf) {
    int n = buf.readableBytes();
    if (n < TERMINATE.length) {
      return false;
    }
    int from = buf.readerIndex() + n - TERMINATE.length;
    for (int i = 0; i < TERMINATE.length; i++) {
      if (buf.getByte(from + i) != TERMINATE[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    waiting = false;
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    registry.remove(this);
    super.channelInactive(ctx);
  }
}
