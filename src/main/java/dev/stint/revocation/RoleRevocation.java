package dev.stint.revocation;

import dev.stint.error.ErrorCode;
import dev.stint.ledger.RoleLedger;
import dev.stint.mint.MintException;
import dev.stint.mint.aws.AwsRevocations;
import dev.stint.mint.aws.AwsRevocations.Written;
import dev.stint.mint.aws.RoleDenies;
import dev.stint.outbox.OutboxWorker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Writes one role's deny as the ledger has it: every revoked grant with a session on the role that
 * may still be alive, its own or one chained from it. When that does not fit IAM's limit, the role
 * is widened rather than left unwritten: every stint session of the role issued before now is
 * denied ({@code aws:TokenIssueTime}); the grants that cutoff covers keep only their source
 * identity (a session chained back into the role later has a fresh issue time), and lose that too
 * only when even those do not fit. The other people the cutoff cuts are counted, so they can be
 * told. One role is written by one replica at a time.
 */
final class RoleRevocation {
  /**
   * The cutoff lies this far past stint's clock, so that a session STS issued just before it is cut
   * however far AWS's clock is behind stint's, within this margin. Sessions issued in this margin
   * are cut too: their holders fetch fresh ones.
   */
  static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);

  /** How long a revocation waits for another replica writing the same role. */
  static final Duration TURN_WAIT = Duration.ofSeconds(30);

  /** A role written; {@code widened} when its deny had to become a cutoff. */
  record RoleWritten(String role, Optional<Widened> widened) {}

  /**
   * A cutoff written: sessions issued before {@code cutoff}, denied until {@code until}; the others
   * it cut; whether the grants it covers kept their source identities (chained sessions).
   */
  record Widened(
      String role, Instant cutoff, Instant until, RoleLedger.Cut others, boolean chainedKept) {}

  /** How much of the ledger a widened deny still names one by one. */
  private enum Tier {
    EVERY_GRANT,
    SOURCES_BEFORE_CUTOFF,
    AFTER_CUTOFF_ONLY
  }

  private final Vertx vertx;
  private final Pool pool;
  private final RoleLedger ledger;
  private final Cutoffs cutoffs;
  private final AwsRevocations aws;
  private final Clock clock;

  RoleRevocation(Vertx vertx, Pool pool, AwsRevocations aws, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.ledger = new RoleLedger(pool);
    this.cutoffs = new Cutoffs(pool);
    this.aws = aws;
    this.clock = clock;
  }

  /**
   * Writes {@code role}'s deny in the role's turn (the outbox's turns: replicas of an earlier
   * release take the same one), widening if it does not fit.
   */
  Future<RoleWritten> write(String role, String grantId) {
    return pool.withTransaction(
        conn ->
            OutboxWorker.awaitTurn(conn, role, TURN_WAIT).compose(x -> writeInTurn(role, grantId)));
  }

  private Future<RoleWritten> writeInTurn(String role, String grantId) {
    Instant now = clock.instant();
    return cutoffs
        .of(role, now)
        .compose(
            cutoff ->
                write(role, now, cutoff, Tier.EVERY_GRANT)
                    .compose(
                        written ->
                            written instanceof Written.TooLarge tooLarge
                                ? widen(role, grantId, tooLarge.latestEarlier(), cutoff)
                                    .map(w -> new RoleWritten(role, Optional.of(w)))
                                : confirmed(role)
                                    .map(x -> new RoleWritten(role, Optional.empty()))));
  }

  private Future<Written> write(
      String role, Instant now, Optional<Cutoffs.Cutoff> cutoff, Tier tier) {
    return ledger
        .revokedOn(role, now)
        .compose(
            revoked -> {
              List<RoleDenies.Denied> grants =
                  revoked.stream()
                      .filter(r -> named(r, cutoff, tier))
                      .map(
                          r ->
                              new RoleDenies.Denied(
                                  r.grantId(),
                                  r.sourceIdentity(),
                                  r.sessionsAlive(now) && !covered(r, cutoff)))
                      .toList();
              RoleDenies denies = new RoleDenies(role, grants, cutoff.map(Cutoffs.Cutoff::deny));
              return Future.fromCompletionStage(aws.write(denies), vertx.getOrCreateContext());
            });
  }

  /** Whether a grant's sessions were all issued before the cutoff, which then denies them. */
  private static boolean covered(RoleLedger.Revoked r, Optional<Cutoffs.Cutoff> cutoff) {
    return cutoff.map(c -> r.lastIssued().isBefore(c.coversBefore())).orElse(false);
  }

  private static boolean named(RoleLedger.Revoked r, Optional<Cutoffs.Cutoff> cutoff, Tier tier) {
    return tier != Tier.AFTER_CUTOFF_ONLY || !covered(r, cutoff);
  }

  /**
   * Denies every stint session of the role issued before now: the cutoff lasts until the last
   * revoked session it stands for (or one chained from it, or an earlier per-hour statement) can
   * have ended, and is recorded before it is written, so a retry renders the same document. Only
   * the sessions an {@code earlier} cutoff had not already cut count as cut now.
   */
  private Future<Widened> widen(
      String role,
      String grantId,
      Optional<Instant> latestEarlier,
      Optional<Cutoffs.Cutoff> earlier) {
    Instant now = clock.instant();
    Instant alreadyCut = earlier.map(c -> c.deny().issuedBefore()).orElse(Instant.EPOCH);
    Instant cutoffAt = now.plus(CLOCK_MARGIN);
    return ledger
        .revokedUntil(role, now, now)
        .compose(
            until -> {
              Instant last = latest(until.orElse(cutoffAt), latestEarlier.orElse(cutoffAt));
              Cutoffs.Cutoff cutoff =
                  new Cutoffs.Cutoff(new RoleDenies.Cutoff(cutoffAt, last), now);
              return cutoffs
                  .save(role, cutoff, grantId, now)
                  .compose(x -> writeWidened(role, now, cutoff, Tier.SOURCES_BEFORE_CUTOFF))
                  .compose(
                      chainedKept ->
                          confirmed(role)
                              .compose(y -> ledger.liveBetween(role, now, alreadyCut, cutoffAt))
                              .map(cut -> new Widened(role, cutoffAt, last, cut, chainedKept)));
            });
  }

  /** Writes the widened deny; answers whether the covered grants kept their source identities. */
  private Future<Boolean> writeWidened(String role, Instant now, Cutoffs.Cutoff cutoff, Tier tier) {
    return write(role, now, Optional.of(cutoff), tier)
        .compose(
            written -> {
              if (!(written instanceof Written.TooLarge)) {
                return Future.succeededFuture(tier == Tier.SOURCES_BEFORE_CUTOFF);
              }
              return tier == Tier.SOURCES_BEFORE_CUTOFF
                  ? writeWidened(role, now, cutoff, Tier.AFTER_CUTOFF_ONLY)
                  : Future.failedFuture(tooLarge(role));
            });
  }

  /** The deny is in place: no session can be chained from the ones it names after now. */
  private Future<Void> confirmed(String role) {
    return ledger.confirmDenied(role, clock.instant());
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static MintException tooLarge(String role) {
    return new MintException(
        ErrorCode.INTERNAL,
        "even the widened deny does not fit IAM's limit"
            + " on role "
            + role.substring(role.lastIndexOf('/') + 1)
            + ": the role's other inline"
            + " policies leave no room",
        false,
        null);
  }
}
