package dev.stint.revocation;

import dev.stint.access.RevocationReach.Live;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The {@code revocations} table: one row per revoked grant, moved on as its revocation goes. */
public final class ProgressStore {
  static final String COLUMNS =
      "grant_id, request_id, revoked_at, progress, cloud, roles, credentials,"
          + " widened, detail, updated_at";
  public static final String FIND = "SELECT " + COLUMNS + " FROM revocations WHERE grant_id = $1";
  static final String SAVE =
      "INSERT INTO revocations ("
          + COLUMNS
          + ") VALUES ($1, $2, $3, $4,"
          + " $5, $6, $7, $8, $9, $10) ON CONFLICT (grant_id) DO UPDATE SET"
          + " progress = EXCLUDED.progress, cloud = EXCLUDED.cloud, roles = EXCLUDED.roles, credentials = EXCLUDED.credentials,"
          + " widened = revocations.widened OR EXCLUDED.widened, detail = EXCLUDED.detail,"
          + " updated_at = EXCLUDED.updated_at";

  private final Pool pool;

  public ProgressStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Progress>> of(String grantId) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(grantId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<Progress>empty()
                    : Optional.of(progress(rows.iterator().next())));
  }

  Future<Progress> save(Progress p) {
    return pool.preparedQuery(SAVE)
        .execute(
            Tuple.tuple()
                .addString(p.grantId())
                .addString(p.requestId())
                .addOffsetDateTime(p.revokedAt().atOffset(ZoneOffset.UTC))
                .addString(p.stage().code())
                .addString(p.cloud().orElse(null))
                .addArrayOfString(p.roles().toArray(String[]::new))
                .addInteger(p.credentials())
                .addBoolean(p.widened())
                .addString(p.detail().orElse(null))
                .addOffsetDateTime(p.updatedAt().atOffset(ZoneOffset.UTC)))
        .map(p);
  }

  private static Progress progress(Row r) {
    return new Progress(
        r.getString("grant_id"),
        r.getString("request_id"),
        r.getOffsetDateTime("revoked_at").toInstant(),
        Live.valueOf(r.getString("progress").toUpperCase(Locale.ROOT)),
        Optional.ofNullable(r.getString("cloud")),
        List.of(r.getArrayOfStrings("roles")),
        r.getInteger("credentials"),
        r.getBoolean("widened"),
        Optional.ofNullable(r.getString("detail")),
        r.getOffsetDateTime("updated_at").toInstant());
  }

  static Instant instant(Row r, String column) {
    return r.getOffsetDateTime(column).toInstant();
  }
}
