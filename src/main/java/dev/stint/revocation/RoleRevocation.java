package dev.stint.revocation;

import dev.stint.error.ErrorCode;
import dev.stint.ledger.Ledger;
import dev.stint.mint.MintException;
import dev.stint.mint.aws.AwsRevocations;
import dev.stint.mint.aws.AwsRevocations.Written;
import dev.stint.mint.aws.RoleDenies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Writes one role's denies as the ledger has them: every revoked grant with a session on the role
 * still unexpired, by its tag and source identity. When those do not fit IAM's limit, the role is
 * widened rather than left unwritten: every stint session of the role issued before now is denied
 * ({@code aws:TokenIssueTime}), the grants that cutoff covers need no entry of their own, and the
 * other people it cuts are counted, so they can be told to fetch a fresh session.
 */
final class RoleRevocation {
  /**
   * The cutoff lies this far past stint's clock, so that a session STS issued just before it is
   * cut however far AWS's clock is behind stint's, within this margin. Sessions issued in this
   * margin are cut too: their holders fetch fresh ones.
   */
  static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);

  /** A role written; {@code widened} when its deny had to become a cutoff. */
  record Outcome(String role, Optional<Widened> widened) {}

  /** A cutoff written: sessions issued before {@code cutoff}, and the others it cut. */
  record Widened(String role, Instant cutoff, Instant until, Ledger.Cut others) {}

  private final Vertx vertx;
  private final Ledger ledger;
  private final Cutoffs cutoffs;
  private final AwsRevocations aws;

  RoleRevocation(Vertx vertx, Ledger ledger, Cutoffs cutoffs, AwsRevocations aws) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.cutoffs = cutoffs;
    this.aws = aws;
  }

  /** Writes {@code role}'s denies at {@code now}, widening if they do not fit. */
  Future<Outcome> write(String role, String grantId, Instant now) {
    return cutoffs.of(role, now)
        .compose(cutoff -> write(role, now, cutoff))
        .compose(written -> written instanceof Written.TooLarge
            ? widen(role, grantId, now).map(w -> new Outcome(role, Optional.of(w)))
            : Future.succeededFuture(new Outcome(role, Optional.empty())));
  }

  private Future<Written> write(String role, Instant now, Optional<Cutoffs.Cutoff> cutoff) {
    Instant issuedFrom = cutoff.map(Cutoffs.Cutoff::coversBefore).orElse(Instant.EPOCH);
    return ledger.revokedOn(role, now, issuedFrom).compose(revoked -> {
      List<RoleDenies.Denied> grants = revoked.stream()
          .filter(r -> r.sourceIdentity() != null)
          .map(r -> new RoleDenies.Denied(r.grantId(), r.sourceIdentity(), r.sessionsAlive(now)))
          .toList();
      RoleDenies denies = new RoleDenies(role, grants, cutoff.map(Cutoffs.Cutoff::deny));
      return Future.fromCompletionStage(aws.write(denies), vertx.getOrCreateContext());
    });
  }

  /**
   * Denies every stint session of the role issued before now: the cutoff lasts until the last
   * revoked session it stands for expires, and is recorded before it is written, so a retry
   * renders the same document.
   */
  private Future<Widened> widen(String role, String grantId, Instant now) {
    Instant cutoffAt = now.plus(CLOCK_MARGIN);
    return ledger.revokedUntil(role, now, now).compose(until -> {
      Cutoffs.Cutoff cutoff = new Cutoffs.Cutoff(new RoleDenies.Cutoff(cutoffAt,
          until.orElse(cutoffAt)), now);
      return cutoffs.save(role, cutoff, grantId, now)
          .compose(x -> write(role, now, Optional.of(cutoff)))
          .compose(written -> written instanceof Written.TooLarge
              ? Future.failedFuture(tooLarge(role))
              : ledger.liveBefore(role, now, cutoffAt))
          .map(cut -> new Widened(role, cutoffAt, cutoff.deny().until(), cut));
    });
  }

  private static MintException tooLarge(String role) {
    return new MintException(ErrorCode.INTERNAL, "even the widened deny does not fit IAM's limit"
        + " on role " + role.substring(role.lastIndexOf('/') + 1) + ": the role's other inline"
        + " policies leave no room", false, null);
  }
}
