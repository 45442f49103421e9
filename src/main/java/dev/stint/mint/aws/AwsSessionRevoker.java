package dev.stint.mint.aws;

import dev.stint.error.ErrorCode;
import dev.stint.mint.MintException;
import dev.stint.mint.SessionRevoker;
import dev.stint.mint.aws.AwsRevocations.Written;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Ends a role's AWS sessions of revoked grants with its IAM deny ({@link AwsRevocations}), rendered
 * from the records: every revoked grant with a session on the role that may still be alive, its own
 * or one chained from it. When that does not fit IAM's limit, the role is widened rather than left
 * unwritten: every stint session of the role issued before now is denied ({@code
 * aws:TokenIssueTime}); the grants that cutoff covers keep only their source identity (a session
 * chained back into the role later has a fresh issue time), and lose that too only when even those
 * do not fit. The other people the cutoff cuts are counted, so they can be told.
 */
public final class AwsSessionRevoker implements SessionRevoker {
  /**
   * The cutoff lies this far past stint's clock, so that a session STS issued just before it is cut
   * however far AWS's clock is behind stint's, within this margin. Sessions issued in this margin
   * are cut too: their holders fetch fresh ones.
   */
  static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);

  /** How much of the records a widened deny still names one by one. */
  private enum Tier {
    EVERY_GRANT,
    SOURCES_BEFORE_CUTOFF,
    AFTER_CUTOFF_ONLY
  }

  private final Vertx vertx;
  private final AwsRevocations iam;
  private final Clock clock;

  public AwsSessionRevoker(Vertx vertx, AwsRevocations iam, Clock clock) {
    this.vertx = vertx;
    this.iam = iam;
    this.clock = clock;
  }

  /** Writes {@code role}'s deny, widening it if it does not fit. */
  @Override
  public Future<Ended> end(String role, String grantId, Records records) {
    Instant now = clock.instant();
    return records
        .cutoff(role, now)
        .compose(
            cutoff ->
                write(records, role, now, cutoff, Tier.EVERY_GRANT)
                    .compose(
                        written ->
                            written instanceof Written.TooLarge tooLarge
                                ? widen(records, role, grantId, tooLarge.latestEarlier(), cutoff)
                                    .map(w -> new Ended(role, Optional.of(w)))
                                : records
                                    .confirmEnded(role, clock.instant())
                                    .map(x -> new Ended(role, Optional.empty()))));
  }

  private Future<Written> write(
      Records records, String role, Instant now, Optional<Cutoff> cutoff, Tier tier) {
    return records
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
              RoleDenies denies = new RoleDenies(role, grants, cutoff.map(AwsSessionRevoker::deny));
              return Future.fromCompletionStage(iam.write(denies), vertx.getOrCreateContext());
            });
  }

  private static RoleDenies.Cutoff deny(Cutoff cutoff) {
    return new RoleDenies.Cutoff(cutoff.issuedBefore(), cutoff.until());
  }

  /** Whether a grant's sessions were all issued before the cutoff, which then denies them. */
  private static boolean covered(Revoked r, Optional<Cutoff> cutoff) {
    return cutoff.map(c -> r.lastIssued().isBefore(c.coversBefore())).orElse(false);
  }

  private static boolean named(Revoked r, Optional<Cutoff> cutoff, Tier tier) {
    return tier != Tier.AFTER_CUTOFF_ONLY || !covered(r, cutoff);
  }

  /**
   * Denies every stint session of the role issued before now: the cutoff lasts until the last
   * revoked session it stands for (or one chained from it, or an earlier per-hour statement) can
   * have ended, and is recorded before it is written, so a retry renders the same document. Only
   * the sessions an {@code earlier} cutoff had not already cut count as cut now.
   */
  private Future<Widened> widen(
      Records records,
      String role,
      String grantId,
      Optional<Instant> latestEarlier,
      Optional<Cutoff> earlier) {
    Instant now = clock.instant();
    Instant alreadyCut = earlier.map(Cutoff::issuedBefore).orElse(Instant.EPOCH);
    Instant cutoffAt = now.plus(CLOCK_MARGIN);
    return records
        .revokedUntil(role, now, now)
        .compose(
            until -> {
              Instant last = latest(until.orElse(cutoffAt), latestEarlier.orElse(cutoffAt));
              Cutoff cutoff = new Cutoff(cutoffAt, last, now);
              return records
                  .saveCutoff(role, cutoff, grantId, now)
                  .compose(
                      x -> writeWidened(records, role, now, cutoff, Tier.SOURCES_BEFORE_CUTOFF))
                  .compose(
                      chainedKept ->
                          records
                              .confirmEnded(role, clock.instant())
                              .compose(y -> records.liveBetween(role, now, alreadyCut, cutoffAt))
                              .map(
                                  cut ->
                                      new Widened(
                                          role,
                                          cutoffAt,
                                          last,
                                          cut,
                                          chainedKept,
                                          "the role's denies would pass IAM's size limit")));
            });
  }

  /** Writes the widened deny; answers whether the covered grants kept their source identities. */
  private Future<Boolean> writeWidened(
      Records records, String role, Instant now, Cutoff cutoff, Tier tier) {
    return write(records, role, now, Optional.of(cutoff), tier)
        .compose(
            written -> {
              if (!(written instanceof Written.TooLarge)) {
                return Future.succeededFuture(tier == Tier.SOURCES_BEFORE_CUTOFF);
              }
              return tier == Tier.SOURCES_BEFORE_CUTOFF
                  ? writeWidened(records, role, now, cutoff, Tier.AFTER_CUTOFF_ONLY)
                  : Future.failedFuture(tooLarge(role));
            });
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
