package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.outbox.DurableListener;
import dev.stint.outbox.Outbox;
import dev.stint.outbox.OutboxWorker;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPolicies;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox on a real database: a change's effects are written with it and delivered once;
 * failures back off and end dead, where an admin's retry picks them up; a claim is leased, so a
 * worker that dies mid-delivery only delays it, and two workers never deliver one row twice.
 */
class OutboxTest {
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

  /** A listener that records what it delivered and fails while {@code failures} is positive. */
  static class Recorder implements DurableListener<RequestListener.Change> {
    final String name;
    final List<String> delivered = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();
    volatile boolean hang;
    volatile Optional<String> turn = Optional.empty();
    volatile Promise<Void> gate;
    final List<String> started = new CopyOnWriteArrayList<>();

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean wants(RequestListener.Change change) {
      return change.event().equals("request.approved");
    }

    @Override
    public Optional<String> turn(RequestListener.Change change) {
      return turn;
    }

    @Override
    public Future<Void> deliver(RequestListener.Change change, Delivery delivery) {
      started.add(change.request().id());
      Promise<Void> held = gate;
      if (held != null) {
        return held.future()
            .onSuccess(x -> delivered.add(change.request().id() + "#" + delivery.id()));
      }
      if (hang) {
        return Promise.<Void>promise().future();
      }
      if (failures.getAndDecrement() > 0) {
        return Future.failedFuture(new IllegalStateException("receiver down"));
      }
      delivered.add(change.request().id() + "#" + delivery.id());
      return Future.succeededFuture();
    }
  }

  Recorder recorder;
  Outbox<RequestListener.Change> outbox;
  AccessStore store;
  AccessUseCases access;

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
    recorder = new Recorder("test." + System.nanoTime());
    outbox = new Outbox<>(db.pool());
    outbox.register(recorder);
    store = new AccessStore(db.pool(), db.pipelined(), outbox);
    access =
        new AccessUseCases(
            store, rig.policies, new AccessAudit(audit), AccessRig.SETTINGS, rig.clock);
  }

  OutboxWorker<RequestListener.Change> worker(Outbox<RequestListener.Change> from) {
    return new OutboxWorker<>(
        rig.vertx, db.pool(), from, store::rebuild, SETTINGS, audit, rig.clock);
  }

  AccessRequest approvedRequest(String user) throws Exception {
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

  long rows(String where) throws Exception {
    return Long.parseLong(
        AuditTables.strings(
                rig.url,
                "SELECT count(*) FROM outbox WHERE "
                    + "listener = '"
                    + recorder.name
                    + "' AND "
                    + where)
            .get(0));
  }

  @Test
  void aChangesEffectIsWrittenWithItAndDeliveredOnce() throws Exception {
    AccessRequest r = approvedRequest("olga");
    assertThat(rows("request_id = '" + r.id() + "' AND state = 'pending'")).isEqualTo(1);

    OutboxWorker<RequestListener.Change> worker = worker(outbox);
    assertThat(AuditTables.await(worker.drain())).isEqualTo(1);
    assertThat(AuditTables.await(worker.drain())).isZero();

    assertThat(recorder.delivered).singleElement().asString().startsWith(r.id() + "#");
    assertThat(rows("state = 'done'")).isEqualTo(1);
    assertThat(
            AuditTables.count(
                rig.url, "type = 'outbox.delivered' AND request_id = '" + r.id() + "'"))
        .isEqualTo(1);
  }

  @Test
  void aRefusedDecisionWritesNoEffect() throws Exception {
    AccessRequest r = approvedRequest("petra");
    AuditTables.execute(
        rig.url, "UPDATE outbox SET state = 'done' WHERE request_id = '" + r.id() + "'");
    AuditTables.failure(
        access.decisions().decide(rig.caller("mallory"), r.id(), Action.CANCEL, Optional.empty()));
    assertThat(rows("request_id = '" + r.id() + "' AND state = 'pending'")).isZero();
  }

  @Test
  void failuresBackOffThenTheRowIsDeadUntilAnAdminRetriesIt() throws Exception {
    recorder.failures.set(1_000);
    AccessRequest r = approvedRequest("quinn");
    OutboxWorker<RequestListener.Change> worker = worker(outbox);

    assertThat(AuditTables.await(worker.drain())).isEqualTo(1);
    assertThat(AuditTables.await(worker.drain())).as("not due before its delay").isZero();
    rig.clock.advance(Duration.ofSeconds(11));
    assertThat(AuditTables.await(worker.drain())).isEqualTo(1);
    rig.clock.advance(Duration.ofMinutes(11));
    assertThat(AuditTables.await(worker.drain())).isEqualTo(1);

    Outbox.Entry dead =
        AuditTables.await(outbox.undelivered(100)).stream()
            .filter(e -> e.requestId().equals(r.id()))
            .findFirst()
            .orElseThrow();
    assertThat(dead.state()).isEqualTo("dead");
    assertThat(dead.attempts()).isEqualTo(3);
    assertThat(dead.lastError()).contains("receiver down");
    assertThat(AuditTables.count(rig.url, "type = 'outbox.dead' AND request_id = '" + r.id() + "'"))
        .isEqualTo(1);
    rig.clock.advance(Duration.ofHours(1));
    assertThat(AuditTables.await(worker.drain())).as("a dead row waits for an admin").isZero();

    recorder.failures.set(0);
    assertThat(AuditTables.await(outbox.retry(dead.id(), rig.clock.instant()))).isPresent();
    assertThat(AuditTables.await(worker.drain())).isEqualTo(1);
    assertThat(recorder.delivered).singleElement().asString().startsWith(r.id());
  }

  @Test
  void aWorkerThatDiesMidDeliveryOnlyDelaysItUntilTheLeaseEnds() throws Exception {
    AccessRequest r = approvedRequest("rosa");
    recorder.hang = true;
    worker(outbox).drain();
    // The first worker holds the row's lease once its delivery has started.
    Eventually.until(
        "the first worker delivering", Duration.ofSeconds(10), () -> !recorder.started.isEmpty());
    Recorder survivor = new Recorder(recorder.name);
    Outbox<RequestListener.Change> other = new Outbox<>(db.pool());
    other.register(survivor);
    OutboxWorker<RequestListener.Change> second = worker(other);

    assertThat(AuditTables.await(second.drain())).as("leased by the first").isZero();
    rig.clock.advance(SETTINGS.lease().plusSeconds(1));
    assertThat(AuditTables.await(second.drain())).isEqualTo(1);
    assertThat(survivor.delivered).singleElement().asString().startsWith(r.id());
  }

  @Test
  void twoWorkersNeverDeliverOneRowTwice() throws Exception {
    for (int i = 0; i < 12; i++) {
      approvedRequest("sam" + i);
    }
    Recorder twin = new Recorder(recorder.name);
    Outbox<RequestListener.Change> other = new Outbox<>(db.pool());
    other.register(twin);
    Future<Integer> a = worker(outbox).drain();
    Future<Integer> b = worker(other).drain();
    int total = AuditTables.await(a) + AuditTables.await(b);

    assertThat(total).isEqualTo(12);
    List<String> all = new ArrayList<>(recorder.delivered);
    all.addAll(twin.delivered);
    assertThat(all).hasSize(12).doesNotHaveDuplicates();
  }

  /**
   * A delivery that outlasts its lease (a loaded host, a slow cloud) keeps its claim: the other
   * worker finds the row leased long after the first lease would have ended, and the row is
   * delivered once. Without the renewal the second worker delivers it beside the first.
   */
  @Test
  void aDeliveryThatOutlastsItsLeaseKeepsItsClaim() throws Exception {
    OutboxWorker.Settings shortLease =
        new OutboxWorker.Settings(
            SETTINGS.poll(), Duration.ofMillis(300), SETTINGS.delays(), SETTINGS.giveUpAfter(), 1);
    recorder.gate = Promise.promise();
    AccessRequest r = approvedRequest("ola");
    Future<Integer> holding =
        new OutboxWorker<>(
                rig.vertx, db.pool(), outbox, store::rebuild, shortLease, audit, rig.clock)
            .drain();
    Eventually.until(
        "the first delivery to start", Duration.ofSeconds(10), () -> recorder.started.size() == 1);
    rig.clock.advance(Duration.ofMinutes(1));
    String leased = "request_id = '" + r.id() + "' AND lease_until > '" + rig.clock.instant() + "'";
    Eventually.until("the claim renewed", Duration.ofSeconds(30), () -> rows(leased) == 1);

    Recorder twin = new Recorder(recorder.name);
    Outbox<RequestListener.Change> other = new Outbox<>(db.pool());
    other.register(twin);
    assertThat(AuditTables.await(worker(other).drain())).as("still claimed").isZero();
    recorder.gate.complete();
    assertThat(AuditTables.await(holding)).isEqualTo(1);
    assertThat(twin.started).isEmpty();
    assertThat(recorder.delivered).singleElement().asString().startsWith(r.id() + "#");
    assertThat(rows("request_id = '" + r.id() + "' AND state = 'done' AND lease_until IS NULL"))
        .isEqualTo(1);
  }

  @Test
  void deliveriesOfOneTurnTakeTurnsAcrossWorkers() throws Exception {
    recorder.turn = Optional.of("arn:aws:iam::111122223333:role/sandbox");
    recorder.gate = Promise.promise();
    AccessRequest first = approvedRequest("tara");
    AccessRequest second = approvedRequest("uwe");
    Recorder twin = new Recorder(recorder.name);
    twin.turn = recorder.turn;
    Outbox<RequestListener.Change> other = new Outbox<>(db.pool());
    other.register(twin);

    Future<Integer> holding = worker(outbox).drain();
    Eventually.until(
        "the first delivery to start", Duration.ofSeconds(10), () -> recorder.started.size() == 1);
    assertThat(AuditTables.await(worker(other).drain()))
        .as("the other replica waits for the turn")
        .isZero();
    assertThat(twin.started).isEmpty();
    String waiting = recorder.started.get(0).equals(first.id()) ? second.id() : first.id();
    assertThat(
            rows(
                "request_id = '"
                    + waiting
                    + "' AND state = 'pending' AND attempts = 0"
                    + " AND lease_until IS NULL"))
        .as("put back, no attempt counted")
        .isEqualTo(1);

    recorder.gate.complete();
    assertThat(AuditTables.await(holding)).isEqualTo(1);
    rig.clock.advance(SETTINGS.poll().plusSeconds(1));
    assertThat(AuditTables.await(worker(other).drain())).isEqualTo(1);
    assertThat(twin.delivered).singleElement().asString().startsWith(waiting + "#");
    assertThat(rows("request_id = '" + waiting + "' AND state = 'done' AND attempts = 1"))
        .isEqualTo(1);
  }

  @Test
  void deliveriesWithoutATurnDoNotWaitForEachOther() throws Exception {
    recorder.gate = Promise.promise();
    approvedRequest("vic");
    approvedRequest("wyn");
    Recorder twin = new Recorder(recorder.name);
    Outbox<RequestListener.Change> other = new Outbox<>(db.pool());
    other.register(twin);

    Future<Integer> holding = worker(outbox).drain();
    Eventually.until(
        "the first delivery to start", Duration.ofSeconds(10), () -> recorder.started.size() == 1);
    assertThat(AuditTables.await(worker(other).drain())).isEqualTo(1);
    assertThat(twin.delivered).hasSize(1);
    recorder.gate.complete();
    assertThat(AuditTables.await(holding)).isEqualTo(1);
  }

  @Test
  void aStoppingWorkerClaimsNothingMoreAndAnswersOnceItsDeliveryEnds() throws Exception {
    recorder.gate = Promise.promise();
    AccessRequest first = approvedRequest("xena");
    OutboxWorker<RequestListener.Change> worker = worker(outbox);
    worker.poke();
    Eventually.until(
        "the delivery to start", Duration.ofSeconds(10), () -> recorder.started.size() == 1);
    AccessRequest second = approvedRequest("yuri");

    Future<Void> stopped = worker.stop();
    worker.poke();
    assertThat(stopped.isComplete()).as("waits for the delivery under way").isFalse();
    recorder.gate.complete();
    AuditTables.await(stopped);

    assertThat(recorder.delivered).singleElement().asString().startsWith(first.id() + "#");
    assertThat(recorder.started).containsExactly(first.id());
    assertThat(rows("request_id = '" + first.id() + "' AND state = 'done'")).isEqualTo(1);
    assertThat(rows("request_id = '" + second.id() + "' AND state = 'pending' AND attempts = 0"))
        .as("left for the next replica")
        .isEqualTo(1);
  }
}
