package dev.stint.notify.slack;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The Socket Mode envelopes taken (table {@code slack_envelopes}): the first replica to claim an
 * envelope handles it, and a redelivery, to it or to any other replica, is only acknowledged.
 */
public final class SlackEnvelopes {
  /** How long an envelope id is remembered: far beyond any redelivery of it. */
  static final Duration KEPT = Duration.ofDays(1);

  private final Pool pool;

  public SlackEnvelopes(Pool pool) {
    this.pool = pool;
  }

  /** Whether this call took {@code envelopeId} first; ids older than {@link #KEPT} go meanwhile. */
  public Future<Boolean> claim(String envelopeId, Instant now) {
    OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    return pool.preparedQuery(
            "WITH pruned AS (DELETE FROM slack_envelopes WHERE received_at < $3)"
                + " INSERT INTO slack_envelopes (envelope_id, received_at) VALUES ($1, $2)"
                + " ON CONFLICT (envelope_id) DO NOTHING RETURNING envelope_id")
        .execute(Tuple.of(envelopeId, at, at.minus(KEPT)))
        .map(rows -> rows.rowCount() == 1);
  }
}
