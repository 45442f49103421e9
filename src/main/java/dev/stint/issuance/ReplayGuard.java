package dev.stint.issuance;

import dev.stint.common.Timestamps;
import dev.stint.identity.OidcTokenVerifier;
import dev.stint.identity.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;

/**
 * Accepts a CI token once, across every replica and every CI rule: the token is its issuer and
 * {@code jti}, and the primary key decides, so two replicas racing on one token cannot both win,
 * and neither can two rules that both accept it. The rule that spent it is kept for the record.
 */
public final class ReplayGuard {
  private final Pool pool;

  public ReplayGuard(Pool pool) {
    this.pool = pool;
  }

  /** True the first time this token is used, under whichever rule; false for a replay. */
  public Future<Boolean> firstUse(String rule, Principal token, Instant now) {
    String jti =
        token
            .tokenId()
            .orElseThrow(() -> new IllegalArgumentException("a replay check needs a jti"));
    return pool.preparedQuery(
            "INSERT INTO ci_token_uses (rule, jti, issuer, subject, expires_at,"
                + " used_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (issuer, jti) DO NOTHING")
        .execute(
            Tuple.of(
                rule,
                jti,
                token.issuer(),
                token.subject(),
                Timestamps.utc(token.tokenExpiresAt()),
                Timestamps.utc(now)))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Forgets tokens the verifier refuses anyway; answers how many. It accepts a token until its
   * expiry plus its clock skew, so a token forgotten at its expiry could mint again in that margin;
   * the skew is kept twice over, for a verifying replica whose clock is behind the pruning one's.
   */
  public Future<Integer> prune(Instant now) {
    return pool.preparedQuery("DELETE FROM ci_token_uses WHERE expires_at < $1")
        .execute(Tuple.of(Timestamps.utc(now.minus(KEPT_PAST_EXPIRY))))
        .map(rows -> rows.rowCount());
  }

  /** How long past its expiry a spent token is remembered. */
  static final Duration KEPT_PAST_EXPIRY = OidcTokenVerifier.SKEW.multipliedBy(2);
}
