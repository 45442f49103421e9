package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.outbox.DurableListener;
import dev.stint.outbox.Outbox;
import dev.stint.outbox.OutboxWorker;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPolicies;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's patience ({@code outbox.give_up_after}) for a listener whose rows it may not give up
 * on ({@link DurableListener#mayGiveUp}: an assignment's deletion): such a row is retried at the
 * longest backoff past its patience and delivered once the receiver answers, its listener told at
 * each failure past it; every other row (another listener's, or the same listener's that may be
 * given up on) is dead at its patience, as before.
 */
class OutboxPatienceTest {
  static final OutboxWorker.Settings SETTINGS =
      new OutboxWorker.Settings(
          Duration.ofSeconds(1),
          Duration.ofMinutes(2),
          List.of(Duration.ofSeconds(10), Duration.ofMinutes(1)),
          Duration.ofMinutes(10),
          1);

  static AccessRig rig;
  static Database db;
  static GroupCommitAuditLog audit;

  /** Fails while told to; may not be given up on for requests whose id it holds. */
  static final class Keeper extends OutboxTest.Recorder {
    final List<String> kept = new CopyOnWriteArrayList<>();
    final List<Boolean> told = new CopyOnWriteArrayList<>();

    Keeper(String name) {
      super(name);
    }

    @Override
    public boolean mayGiveUp(RequestListener.Change change) {
      return !kept.contains(change.request().id());
    }

    @Override
    public Future<Void> failed(
        RequestListener.Change change, Delivery delivery, String why, boolean last) {
      told.add(last);
      return Future.succeededFuture();
    }
  }

  Keeper keeper;
  OutboxTest.Recorder other;
  Outbox<RequestListener.Change> outbox;
  AccessUseCases access;
  OutboxWorker<RequestListener.Change> worker;

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig = new AccessRig(policyDir, TestPolicies::requests);
    db = Database.connect(rig.vertx, rig.url, 4);
    audit =
        new GroupCommitAuditLog(
            rig.vertx,
            Database.connect(rig.vertx, rig.url, 2).pool(),
            rig.clock,
            new StintConfig.AuditConfig(Patience.AUDIT_COMMIT, 64));
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
    rig.close();
  }

  @BeforeEach
  void wire() throws Exception {
    AuditTables.execute(rig.url, "UPDATE outbox SET state = 'done' WHERE state <> 'done'");
    keeper = new Keeper("test.keeper." + System.nanoTime());
    other = new OutboxTest.Recorder("test.other." + System.nanoTime());
    outbox = new Outbox<>(db.pool());
    outbox.register(keeper);
    outbox.register(other);
    AccessStore store = new AccessStore(db.pool(), db.pipelined(), outbox);
    access =
        new AccessUseCases(
            store, rig.policies, new AccessAudit(audit), AccessRig.SETTINGS, rig.clock);
    worker =
        new OutboxWorker<>(
            rig.vertx, db.pool(), outbox, store::rebuild, SETTINGS, audit, rig.clock);
  }

  AccessRequest approved(String user) throws Exception {
    return AuditTables.await(
        access
            .requests()
            .create(
                rig.caller(user, "oncall"),
                new NewRequest(
                    "sandbox",
                    Duration.ofMinutes(30),
                    "",
                    Optional.empty(),
                    Optional.empty(),
                    false)));
  }

  String state(String listener, String requestId) throws Exception {
    return AuditTables.strings(
            rig.url,
            "SELECT state FROM outbox WHERE listener = '"
                + listener
                + "' AND request_id = '"
                + requestId
                + "'")
        .get(0);
  }

  /** Fails every attempt until well past the patience, then lets the receivers answer. */
  void failPastPatience() throws Exception {
    keeper.failures.set(1_000);
    other.failures.set(1_000);
    assertThat(AuditTables.await(worker.drain())).isEqualTo(2);
    for (int i = 0; i < 4; i++) {
      rig.clock.advance(Duration.ofMinutes(6));
      AuditTables.await(worker.drain());
    }
  }

  @Test
  void aRowThatMayNotBeGivenUpOnIsDeliveredPastThePatience() throws Exception {
    AccessRequest r = approved("uma");
    keeper.kept.add(r.id());

    failPastPatience();

    assertThat(state(keeper.name, r.id()))
        .as("still in line past its patience")
        .isEqualTo("pending");
    assertThat(keeper.told).as("told each failure past the patience").contains(true);
    assertThat(AuditTables.count(rig.url, "type = 'outbox.dead' AND request_id = '" + r.id() + "'"))
        .as("only the other listener's row")
        .isEqualTo(1);
    assertThat(state(other.name, r.id()))
        .as("another listener's row is given up")
        .isEqualTo("dead");

    keeper.failures.set(0);
    rig.clock.advance(SETTINGS.delays().get(SETTINGS.delays().size() - 1));
    assertThat(AuditTables.await(worker.drain())).isEqualTo(1);
    assertThat(keeper.delivered).singleElement().asString().startsWith(r.id());
    assertThat(state(keeper.name, r.id())).isEqualTo("done");
  }

  @Test
  void pastThePatienceItWaitsTheLongestBackoff() throws Exception {
    AccessRequest r = approved("vera");
    keeper.kept.add(r.id());
    failPastPatience();
    keeper.failures.set(0);

    rig.clock.advance(SETTINGS.delays().get(0).plusSeconds(1));
    AuditTables.await(worker.drain());
    assertThat(keeper.delivered).as("not before the longest backoff").isEmpty();
    rig.clock.advance(SETTINGS.delays().get(SETTINGS.delays().size() - 1));
    assertThat(AuditTables.await(worker.drain())).isEqualTo(1);
    assertThat(keeper.delivered).singleElement().asString().startsWith(r.id());
  }

  @Test
  void theSameListenersRowThatMayBeGivenUpOnIsDead() throws Exception {
    AccessRequest r = approved("wes");

    failPastPatience();

    assertThat(state(keeper.name, r.id())).isEqualTo("dead");
    assertThat(state(other.name, r.id())).isEqualTo("dead");
    assertThat(keeper.told).last().isEqualTo(true);
    keeper.failures.set(0);
    rig.clock.advance(Duration.ofHours(1));
    assertThat(AuditTables.await(worker.drain())).as("a dead row waits for an admin").isZero();
  }
}
