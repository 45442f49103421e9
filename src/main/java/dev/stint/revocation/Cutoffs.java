package dev.stint.revocation;

import dev.stint.mint.aws.RoleDenies;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The {@code revocation_cutoffs} table: the roles whose revocations did not fit IAM's limit, where
 * every stint session issued before a time is denied instead.
 */
final class Cutoffs {
  static final String FIND =
      "SELECT cutoff, covers_before, until FROM revocation_cutoffs"
          + " WHERE role_arn = $1 AND until > $2";
  static final String SAVE =
      "INSERT INTO revocation_cutoffs (role_arn, cutoff, covers_before,"
          + " until, grant_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (role_arn)"
          + " DO UPDATE SET cutoff = EXCLUDED.cutoff, covers_before = EXCLUDED.covers_before,"
          + " until = EXCLUDED.until, grant_id = EXCLUDED.grant_id, updated_at = EXCLUDED.updated_at";

  /**
   * A role's cutoff: IAM denies sessions issued before {@code deny.issuedBefore()}, and ledger
   * credentials issued before {@code coversBefore} need no entry of their own.
   */
  record Cutoff(RoleDenies.Cutoff deny, Instant coversBefore) {}

  private final Pool pool;

  Cutoffs(Pool pool) {
    this.pool = pool;
  }

  /** The role's cutoff still in force at {@code now}. */
  Future<Optional<Cutoff>> of(String role, Instant now) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(role, now.atOffset(ZoneOffset.UTC)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<Cutoff>empty()
                    : Optional.of(cutoff(rows.iterator().next())));
  }

  Future<Void> save(String role, Cutoff cutoff, String grantId, Instant now) {
    return pool.preparedQuery(SAVE)
        .execute(
            Tuple.of(
                role,
                cutoff.deny().issuedBefore().atOffset(ZoneOffset.UTC),
                cutoff.coversBefore().atOffset(ZoneOffset.UTC),
                cutoff.deny().until().atOffset(ZoneOffset.UTC),
                grantId,
                now.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  private static Cutoff cutoff(Row r) {
    return new Cutoff(
        new RoleDenies.Cutoff(
            ProgressStore.instant(r, "cutoff"), ProgressStore.instant(r, "until")),
        ProgressStore.instant(r, "covers_before"));
  }
}
