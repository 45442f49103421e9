package dev.stint.revocation;

import dev.stint.audit.EventRows;
import dev.stint.ledger.RevocationReach.Live;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
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

  /**
   * A settled revocation's row, written by the audit log in the transaction of its {@code
   * grant.revocation_applied} event: the two are committed together or not at all, so a delivery
   * that finds the row settled knows its event is recorded, and a repeat of the delivery (a replica
   * killed after the commit, before the outbox heard) records nothing twice. A batch holding two
   * events of one grant keeps the later row.
   */
  static final String SETTLE_ALL =
      "INSERT INTO revocations ("
          + COLUMNS
          + ") SELECT DISTINCT ON (g) g, r, ra, pr, c,"
          + " ARRAY(SELECT jsonb_array_elements_text(ro::jsonb)), cr, w, d, u"
          + " FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[],"
          + " $6::text[], $7::int[], $8::boolean[], $9::text[], $10::timestamptz[])"
          + " AS t(g, r, ra, pr, c, ro, cr, w, d, u) ORDER BY g, u DESC"
          + " ON CONFLICT (grant_id) DO UPDATE SET"
          + " progress = EXCLUDED.progress, cloud = EXCLUDED.cloud, roles = EXCLUDED.roles,"
          + " credentials = EXCLUDED.credentials,"
          + " widened = revocations.widened OR EXCLUDED.widened, detail = EXCLUDED.detail,"
          + " updated_at = EXCLUDED.updated_at";

  /** {@link #SETTLE_ALL} as the audit log writes it. */
  static final EventRows<Progress> SETTLED =
      new EventRows<>() {
        @Override
        public String insertAll() {
          return SETTLE_ALL;
        }

        @Override
        public Tuple parameters(List<EventRows.Attached<Progress>> rows) {
          return settledArrays(rows.stream().map(EventRows.Attached::value).toList());
        }
      };

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

  private static Tuple settledArrays(List<Progress> rows) {
    int n = rows.size();
    String[] grants = new String[n];
    String[] requests = new String[n];
    OffsetDateTime[] revoked = new OffsetDateTime[n];
    String[] stages = new String[n];
    String[] clouds = new String[n];
    String[] roles = new String[n];
    Integer[] credentials = new Integer[n];
    Boolean[] widened = new Boolean[n];
    String[] details = new String[n];
    OffsetDateTime[] updated = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Progress p = rows.get(i);
      grants[i] = p.grantId();
      requests[i] = p.requestId();
      revoked[i] = p.revokedAt().atOffset(ZoneOffset.UTC);
      stages[i] = p.stage().code();
      clouds[i] = p.cloud().orElse(null);
      roles[i] = new JsonArray(p.roles()).encode();
      credentials[i] = p.credentials();
      widened[i] = p.widened();
      details[i] = p.detail().orElse(null);
      updated[i] = p.updatedAt().atOffset(ZoneOffset.UTC);
    }
    return Tuple.tuple()
        .addArrayOfString(grants)
        .addArrayOfString(requests)
        .addArrayOfOffsetDateTime(revoked)
        .addArrayOfString(stages)
        .addArrayOfString(clouds)
        .addArrayOfString(roles)
        .addArrayOfInteger(credentials)
        .addArrayOfBoolean(widened)
        .addArrayOfString(details)
        .addArrayOfOffsetDateTime(updated);
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
