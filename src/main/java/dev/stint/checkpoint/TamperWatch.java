package dev.stint.checkpoint;

import com.nimbusds.jwt.SignedJWT;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditVerification;
import dev.stint.audit.ChainVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-verifies, on a schedule, the events added since the last checkpoint it found good, against
 * every checkpoint signed since. The first round reads the server's own checkpoints (its readable
 * anchors) and walks the whole chain; later rounds start at the remembered checkpoint, so their
 * cost grows with new events only, and a checkpoint row deleted from the database cannot hide a
 * truncation from a running server. Every {@link #FULL_WALK_EVERY} a round starts over from the
 * anchors and walks the whole chain again.
 *
 * <p>A mismatch is sticky until restart: it is logged at ERROR, counted in {@code
 * stint_audit_tamper_detected}, shown on {@code /readyz}, recorded as {@code audit.tamper_detected}
 * and handed to the alarm (the notifiers). The alarm fires once.
 */
public final class TamperWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TamperWatch.class);

  /**
   * How often a round starts over from the anchors and walks the whole chain: an incremental round
   * neither re-reads rows below its last good checkpoint (an edit or deletion there) nor reads
   * checkpoints anywhere but the database (where a superuser can delete the newer ones).
   */
  static final Duration FULL_WALK_EVERY = Duration.ofHours(1);

  private final Vertx vertx;
  private final CheckpointVerification verification;
  private final CheckpointStore store;
  private final AuditLog audit;
  private final Consumer<ChainVerifier.Result> alarm;
  private final Duration every;
  private final AtomicReference<Optional<String>> good = new AtomicReference<>(Optional.empty());
  private final AtomicReference<ChainVerifier.Result> tampered = new AtomicReference<>();
  private final AtomicInteger detected = new AtomicInteger();
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicInteger rounds = new AtomicInteger();
  private final int fullEvery;
  private long timer = -1;

  /** Where it reads, what it writes to. */
  record Parts(
      CheckpointVerification verification,
      CheckpointStore store,
      AuditLog audit,
      Consumer<ChainVerifier.Result> alarm) {}

  TamperWatch(Vertx vertx, Parts parts, Duration every, MeterRegistry meters) {
    this.vertx = vertx;
    this.verification = parts.verification();
    this.store = parts.store();
    this.audit = parts.audit();
    this.alarm = parts.alarm();
    this.every = every;
    this.fullEvery = (int) Math.max(1, FULL_WALK_EVERY.toMillis() / Math.max(1, every.toMillis()));
    meters.gauge("stint_audit_tamper_detected", detected);
  }

  public void start() {
    timer = vertx.setPeriodic(every.toMillis(), id -> check());
  }

  /** The break found, if any (sticky). */
  public Optional<ChainVerifier.Result> tampered() {
    return Optional.ofNullable(tampered.get());
  }

  /** For {@code /readyz}: fails, naming the seq and layer, once tampering was detected. */
  public Future<Void> readiness() {
    ChainVerifier.Result t = tampered.get();
    return t == null
        ? Future.succeededFuture()
        : Future.failedFuture(
            "tamper detected at seq "
                + t.brokenSeq().orElse(0L)
                + " ("
                + t.layer().orElse(ChainVerifier.CHAIN)
                + ")");
  }

  /** One round now; a round asked for while one runs returns the current state. */
  public Future<Optional<ChainVerifier.Result>> check() {
    if (tampered.get() != null || !busy.compareAndSet(false, true)) {
      return Future.succeededFuture(tampered());
    }
    if (rounds.incrementAndGet() % fullEvery == 0) {
      good.set(Optional.empty());
    }
    Optional<String> from = good.get();
    Future<List<String>> checkpoints =
        from.isEmpty()
            ? verification.ownCheckpoints()
            : store
                .jwsAfter(seqOf(from.get()))
                .map(
                    newer -> {
                      List<String> all = new ArrayList<>();
                      all.add(from.get());
                      all.addAll(newer);
                      return all;
                    });
    return checkpoints
        .compose(
            jws ->
                verification
                    .verifyFrom(jws, from.map(TamperWatch::seqOf))
                    .map(
                        v -> {
                          record(v, jws);
                          return tampered();
                        }))
        .onFailure(e -> LOG.warn("audit tamper check could not run: {}", e.getMessage()))
        .onComplete(x -> busy.set(false));
  }

  private void record(AuditVerification.Verdict v, List<String> jws) {
    if (v.result().ok()) {
      jws.stream()
          .max(Comparator.comparingLong(TamperWatch::seqOf))
          .ifPresent(newest -> good.set(Optional.of(newest)));
      return;
    }
    ChainVerifier.Result broken = v.result();
    tampered.set(broken);
    detected.set(1);
    LOG.error(
        "AUDIT TAMPERING DETECTED at seq {} by the {} layer: {}",
        broken.brokenSeq().orElse(0L),
        broken.layer().orElse(ChainVerifier.CHAIN),
        broken.problem().orElse(""));
    audit
        .append(
            AuditEvent.builder("audit.tamper_detected")
                .actor(AuditEvent.Actor.SYSTEM)
                .outcome("error")
                .reason(broken.problem().orElse("the audit chain does not verify"))
                .detail("broken_seq", broken.brokenSeq().orElse(0L))
                .detail("layer", broken.layer().orElse(ChainVerifier.CHAIN))
                .build())
        .onFailure(
            e -> LOG.error("audit.tamper_detected could not be recorded: {}", e.getMessage()));
    alarm.accept(broken);
  }

  private static long seqOf(String jws) {
    try {
      Object seq = SignedJWT.parse(jws).getJWTClaimsSet().getClaim(CheckpointClaims.SEQ);
      return ((Number) seq).longValue();
    } catch (ParseException e) {
      throw new IllegalStateException("a checkpoint that verified parses", e);
    }
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
