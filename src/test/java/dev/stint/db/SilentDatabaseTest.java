package dev.stint.db;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.Eventually;
import dev.stint.testing.MovableProxy;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgChannel;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database's address falls silent (a {@link MovableProxy} that stops reading and forwarding,
 * closing nothing): every wait on it ends at its deadline, the connections that went silent are
 * dropped with everything queued on them, and once the address answers again new connections serve,
 * while the silent ones stay silent. Short deadlines, so that the test is quick.
 */
class SilentDatabaseTest {
  private static final DatabaseTimeouts FAST =
      new DatabaseTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));

  /** What a loaded test host may add to a deadline. */
  private static final long SLACK_MS = 1_500;

  private final Vertx vertx = Vertx.vertx();
  private DatabaseUrl direct;
  private MovableProxy address;
  private DatabaseUrl url;
  private final List<Database> opened = new ArrayList<>();

  @BeforeEach
  void start() {
    direct = TestPostgres.migratedDatabase();
    address = MovableProxy.to(direct.port());
    url =
        new DatabaseUrl(
            direct.host(),
            address.port(),
            direct.database(),
            direct.user(),
            direct.password(),
            direct.params());
  }

  @AfterEach
  void stop() throws Exception {
    address.close();
    for (Database db : opened) {
      db.closeAsync()
          .toCompletionStage()
          .toCompletableFuture()
          .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    }
    await(vertx.close());
  }

  private Database connect(DatabaseTimeouts timeouts) {
    Database db = Database.connect(vertx, url, 2, timeouts);
    opened.add(db);
    return db;
  }

  @Test
  void everyStatementQueuedOnASilentConnectionFailsAtTheDeadlineAndTheConnectionIsDropped()
      throws Exception {
    Database db = connect(FAST);
    SqlConnection conn = await(db.pool().getConnection());
    Transaction tx = await(conn.begin());
    await(conn.query("SELECT 1").execute());
    Link link = GuardedConnection.linkOf(conn).orElseThrow();

    address.silence();
    long sent = System.nanoTime();
    List<Future<RowSet<Row>>> queued = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      queued.add(conn.preparedQuery("SELECT $1::int").execute(Tuple.of(i)));
    }
    for (Future<RowSet<Row>> statement : queued) {
      assertThat(failure(statement)).isInstanceOf(Unanswered.class);
    }
    assertThat(millisSince(sent)).isLessThan(1_000 + SLACK_MS);
    assertThat(link.wasCut()).isTrue();
    Eventually.until("the socket closed", Duration.ofSeconds(5), () -> !link.channel().isOpen());

    // ROLLBACK on a dropped connection fails at once rather than wait a deadline of its own.
    long rolledBack = System.nanoTime();
    assertThat(failure(tx.rollback())).isNotNull();
    assertThat(millisSince(rolledBack)).isLessThan(500);
    // Dropping it again once its channel has shed its handlers (as closing it with statements
    // still counted does) is no failure.
    Eventually.until(
        "the closed channel's handlers removed",
        Duration.ofSeconds(5),
        () -> link.channel().pipeline().firstContext() == null);
    link.cut();
    conn.close();
  }

  @Test
  void pipelinedStatementsFailTogetherAndNewConnectionsServeOnceTheAddressAnswers()
      throws Exception {
    Database db = connect(FAST);
    await(db.pipelined().query("SELECT 1").execute());

    address.silence();
    long sent = System.nanoTime();
    List<Future<RowSet<Row>>> queued = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      queued.add(db.pipelined().preparedQuery("SELECT $1::int").execute(Tuple.of(i)));
    }
    for (Future<RowSet<Row>> statement : queued) {
      Throwable failed = failure(statement);
      assertThat(failed).isInstanceOf(Unanswered.class);
      assertThat(Reachability.unreachable(failed)).isTrue();
    }
    assertThat(millisSince(sent)).isLessThan(1_000 + SLACK_MS);

    address.resume();
    assertThat(answerEventually(() -> db.pipelined().query("SELECT 42").execute())).isEqualTo(42);
    assertThat(address.silencedSockets()).as("the silent connections stay silent").isPositive();
  }

  @Test
  void thePoolAnswersInTimeWhileSilentAndServesAgainAfter() throws Exception {
    Database db = connect(FAST);
    // Both connections made and idle in the pool.
    SqlConnection a = await(db.pool().getConnection());
    SqlConnection b = await(db.pool().getConnection());
    a.close();
    b.close();

    address.silence();
    for (int i = 0; i < 4; i++) {
      long sent = System.nanoTime();
      Throwable failed = failure(db.pool().query("SELECT 1").execute());
      assertThat(Reachability.unreachable(failed)).as(failed.toString()).isTrue();
      assertThat(millisSince(sent)).isLessThan(1_000 + SLACK_MS);
    }
    long pinged = System.nanoTime();
    assertThat(failure(db.ping())).isNotNull();
    assertThat(millisSince(pinged)).isLessThan(2_000 + SLACK_MS);

    address.resume();
    assertThat(answerEventually(() -> db.pool().query("SELECT 42").execute())).isEqualTo(42);
    await(db.ping());
  }

  @Test
  void aConnectionGivenBackWithAnswersStillDueIsDroppedNotPooled() throws Exception {
    Database db = connect(FAST);
    SqlConnection conn = await(db.pool().getConnection());
    Link link = GuardedConnection.linkOf(conn).orElseThrow();
    address.silence();
    Future<RowSet<Row>> due = conn.query("SELECT 1").execute();
    conn.close(); // its user gave up on it (the audit writer at its batch's deadline does)
    assertThat(link.wasCut()).isTrue();
    assertThat(failure(due)).isInstanceOf(Unanswered.class);
    address.resume();
    assertThat(answerEventually(() -> db.pool().query("SELECT 42").execute())).isEqualTo(42);
  }

  @Test
  void aConnectionWhoseHandshakeNeverEndsFailsWithinTheConnectTimeout() throws Exception {
    Database db =
        connect(
            new DatabaseTimeouts(
                Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(10)));
    address.silence(); // before any connection: the TCP connect is queued, Postgres never greets
    long asked = System.nanoTime();
    Throwable failed = failure(db.pool().getConnection());
    assertThat(failed)
        .isInstanceOf(Unanswered.class)
        .hasMessageContaining("a new connection within 1 s");
    assertThat(millisSince(asked)).isLessThan(1_000 + SLACK_MS);
  }

  @Test
  void aPoolClosesWithoutWaitingOnASilentDatabase() throws Exception {
    Database db = connect(FAST);
    opened.remove(db);
    SqlConnection idle = await(db.pool().getConnection());
    await(db.pipelined().query("SELECT 1").execute());
    idle.close();

    address.silence();
    long closing = System.nanoTime();
    db.closeAsync()
        .toCompletionStage()
        .toCompletableFuture()
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    // The goodbye (Terminate) goes unanswered; the socket is dropped a deadline later.
    assertThat(millisSince(closing)).isLessThan(1_000 + SLACK_MS);
  }

  @Test
  void everyConnectionHasTcpKeepaliveWithStintsTimings() throws Exception {
    Database db =
        connect(
            new DatabaseTimeouts(
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(9)));
    SqlConnection conn = await(db.pool().getConnection());
    try {
      var channel = GuardedConnection.linkOf(conn).orElseThrow().channel();
      assertThat(channel.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
      assertThat(
              channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE)))
          .isEqualTo(9);
      assertThat(
              channel
                  .config()
                  .getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL)))
          .isEqualTo(3);
      assertThat(
              channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT)))
          .isEqualTo(3);
    } finally {
      conn.close();
    }
  }

  @Test
  void aSilentListenConnectionIsDroppedAndListensAgainOnceTheAddressAnswers() throws Exception {
    Database db = connect(FAST);
    Pool notify = DatabaseConnections.pool(vertx, direct, 1, "notify");
    try {
      AtomicInteger subscribed = new AtomicInteger();
      LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
      PgSubscriber listener = db.subscriber().reconnectPolicy(attempt -> 100L);
      PgChannel channel = listener.channel("silent_test");
      channel.subscribeHandler(v -> subscribed.incrementAndGet());
      channel.handler(received::add);
      await(listener.connect());
      assertThat(subscribed).hasValue(1);
      await(notify.query("NOTIFY silent_test, 'before'").execute());
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("before");

      address.silence();
      // The heartbeat (every second, answered within one) finds it; attempts fail meanwhile.
      Eventually.until(
          "the silent LISTEN connection dropped",
          Duration.ofSeconds(5),
          () -> listener.actualConnection() == null);
      address.resume();
      Eventually.until(
          "listening again on a new connection",
          Duration.ofSeconds(10),
          () -> subscribed.get() == 2);
      await(notify.query("NOTIFY silent_test, 'after'").execute());
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("after");
      await(listener.close());
    } finally {
      await(notify.close());
    }
  }

  @Test
  void aListenConnectionTheDatabaseKillsIsMadeAgain() throws Exception {
    Database db = connect(FAST);
    Pool admin = DatabaseConnections.pool(vertx, TestPostgres.asSuperuser(direct), 1, "admin");
    try {
      AtomicInteger subscribed = new AtomicInteger();
      PgSubscriber listener = db.subscriber().reconnectPolicy(attempt -> 100L);
      PgChannel channel = listener.channel("killed_test");
      channel.subscribeHandler(v -> subscribed.incrementAndGet());
      channel.handler(payload -> {});
      await(listener.connect());
      int pid = listener.actualConnection().processId();
      await(admin.preparedQuery("SELECT pg_terminate_backend($1)").execute(Tuple.of(pid)));
      Eventually.until(
          "listening again after the kill", Duration.ofSeconds(10), () -> subscribed.get() == 2);
      assertThat(listener.actualConnection().processId()).isNotEqualTo(pid);
      await(listener.close());
      assertThat(listener.closed()).isTrue();
    } finally {
      await(admin.close());
    }
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  /** The first column of the first row, once a try answers (a try may meet a dropped one). */
  private static int answerEventually(java.util.function.Supplier<Future<RowSet<Row>>> ask)
      throws Exception {
    return Eventually.get(
        "an answer on a new connection",
        Duration.ofSeconds(10),
        () -> {
          try {
            return Optional.of(await(ask.get()).iterator().next().getInteger(0));
          } catch (Exception e) {
            return Optional.empty();
          }
        });
  }
}
