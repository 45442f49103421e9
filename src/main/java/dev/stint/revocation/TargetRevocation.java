package dev.stint.revocation;

import dev.stint.ledger.RoleLedger;
import dev.stint.mint.SessionRevoker;
import dev.stint.mint.SessionRevoker.Cut;
import dev.stint.mint.SessionRevoker.Cutoff;
import dev.stint.mint.SessionRevoker.Ended;
import dev.stint.mint.SessionRevoker.PersonCutoff;
import dev.stint.mint.SessionRevoker.Revoked;
import dev.stint.mint.SessionRevoker.UserCutoff;
import dev.stint.outbox.OutboxWorker;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Ends one target's revoked sessions through its cloud's {@link SessionRevoker}, on what stint
 * recorded (the credentials ledger and the target's cutoff, as {@link SessionRevoker.Records}),
 * never on today's policy. One target is ended by one replica at a time.
 */
final class TargetRevocation implements SessionRevoker.Records {
  /** How long a revocation waits for another replica ending the same target. */
  static final Duration TURN_WAIT = Duration.ofSeconds(30);

  private final Pool pool;
  private final RoleLedger ledger;
  private final Cutoffs cutoffs;

  TargetRevocation(Pool pool) {
    this.pool = pool;
    this.ledger = new RoleLedger(pool);
    this.cutoffs = new Cutoffs(pool);
  }

  /**
   * Ends {@code target}'s sessions in the target's turn (the outbox's turns: replicas of an earlier
   * release take the same one).
   */
  Future<Ended> end(SessionRevoker revoker, String target, String grantId) {
    return pool.withTransaction(
        conn ->
            OutboxWorker.awaitTurn(conn, target, TURN_WAIT)
                .compose(x -> revoker.end(target, grantId, this)));
  }

  @Override
  public Future<List<Revoked>> revokedOn(String target, Instant now) {
    return ledger.revokedOn(target, now);
  }

  @Override
  public Future<Optional<Instant>> revokedUntil(String target, Instant now, Instant before) {
    return ledger.revokedUntil(target, now, before);
  }

  @Override
  public Future<Cut> cutBetween(
      String target, Optional<String> person, Instant now, Instant from, Instant before) {
    return ledger.cutBetween(target, person, now, from, before);
  }

  @Override
  public Future<Void> confirmEnded(String target, Instant at) {
    return ledger.confirmDenied(target, at);
  }

  @Override
  public Future<Optional<Cutoff>> cutoff(String target, Instant now) {
    return cutoffs.of(target, now);
  }

  @Override
  public Future<Void> saveCutoff(String target, Cutoff cutoff, String grantId, Instant now) {
    return cutoffs.save(target, cutoff, grantId, now);
  }

  @Override
  public Future<List<PersonCutoff>> personCutoffs(String target, Instant now) {
    return cutoffs.persons(target, now);
  }

  @Override
  public Future<Void> savePersonCutoff(
      String target, PersonCutoff cutoff, String grantId, Instant now) {
    return cutoffs.savePerson(target, cutoff, grantId, now);
  }

  @Override
  public Future<List<UserCutoff>> userCutoffs(String target, Instant now) {
    return cutoffs.users(target, now);
  }
}
