package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.standin.SlackSocketServer;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Socket Mode connection's own duties, with the real Slack client against the local Socket Mode
 * server: an envelope that cannot even be claimed (the database is gone) is not acknowledged, so
 * Slack shows the clicker it failed; and closing leaves no connection open, even one Slack was
 * asked to replace.
 *
 * <p>Vert.x has one worker thread here, so a task queued on it runs only once every connection the
 * socket began opening before it has been opened or given up.
 */
class SlackSocketTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  Vertx vertx;
  FakeSlack slack;
  SlackSocketServer sockets;
  SlackWebApi api;
  Database db;
  SlackSocket socket;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
    slack = new FakeSlack("C0APPROVALS");
    sockets = slack.sockets();
    StintConfig.SlackApp app =
        new StintConfig.SlackApp(
            FakeSlack.TOKEN,
            Optional.empty(),
            Optional.of(FakeSlack.APP_TOKEN),
            Optional.of("C0APPROVALS"),
            slack.apiUrl(),
            Duration.ofDays(1),
            false,
            Optional.empty(),
            Optional.empty());
    api = new SlackWebApi(vertx, app);
    db = Database.connect(vertx, TestPostgres.migratedDatabase(), 1);
    // No click gets past the claim here, so the clicks' use case is never reached.
    socket =
        new SlackSocket(
            vertx,
            api,
            FakeSlack.APP_TOKEN,
            null,
            new SlackEnvelopes(db.pool()),
            Clock.systemUTC());
    socket.start();
    Eventually.until("connected", WAIT, () -> sockets.connections() == 1 && socket.connected());
  }

  @AfterEach
  void stop() throws Exception {
    socket.close();
    api.close();
    slack.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @Test
  void anEnvelopeThatCannotBeClaimedIsNotAcknowledged() throws Exception {
    db.close();
    SlackSocketServer.Delivery d =
        sockets.deliver(new JsonObject().put("type", "block_actions")).join().orElseThrow();
    assertThat(d.acknowledged()).isFalse();
  }

  /**
   * Closed while the replacement Slack asked for is being opened: it has asked Slack for an address
   * and has none yet. Once that opening has ended (the worker has run a task queued behind it) and
   * since close() nothing starts another, no connection is open and none was made after the first.
   */
  @Test
  void closingLeavesNoConnectionOpenEvenMidRefresh() throws Exception {
    int asked = slack.calls("apps.connections.open").size();
    slack.holdConnections();
    sockets.askToReconnect().join();
    Eventually.until(
        "the replacement asks Slack for an address",
        WAIT,
        () -> slack.calls("apps.connections.open").size() > asked);

    socket.close();
    slack.releaseConnections();
    vertx.executeBlocking(() -> null, false).await(WAIT.toSeconds(), TimeUnit.SECONDS);

    Eventually.until("every connection closed", WAIT, () -> sockets.connections() == 0);
    assertThat(socket.connected()).isFalse();
    assertThat(sockets.accepted()).as("no connection made after close").isEqualTo(1);
  }
}
