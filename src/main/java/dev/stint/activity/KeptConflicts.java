package dev.stint.activity;

import dev.stint.mint.ActivityLookup;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Calls whose event id was kept before with other content. A call is kept once by its id (a lookup
 * and the push, or two lookups, bring the same record), so a copy pushed first would otherwise hide
 * the real call from the lookups and the findings for good: the first copy stays as it was kept,
 * and the difference is told ({@link ActivityAnomalies}).
 *
 * <p>What must be the same: the credential, the service, the operation and the key, always; and for
 * a call with a key (CloudTrail's: one record per event id, every copy of it alike), its time,
 * region, address, error and parameters too. A call without a key is an Azure operation, kept under
 * the operation's id, whose events (started, then its outcome) differ in time and status by design.
 */
final class KeptConflicts {
  static final String STORED =
      "SELECT event_id, credential_id, request_id, at, source, name, region, source_ip,"
          + " error_code, access_key_id, named_role, with_decryption FROM activity_events"
          + " WHERE event_id = ANY($1)";

  /** Every field a copy may differ in, in the order they are told. */
  private static final List<String> FIELDS =
      List.of(
          "credential_id",
          "request_id",
          "time",
          "event_source",
          "event_name",
          "aws_region",
          "access_key_id",
          "source_ip",
          "error_code",
          "named_role",
          "with_decryption");

  private KeptConflicts() {}

  /** One call as a row keeps it. */
  record Kept(
      String credentialId,
      String requestId,
      Instant at,
      String source,
      String name,
      String region,
      Map<String, Optional<String>> more) {

    /** As the row has it. */
    static Kept of(Row r) {
      Map<String, Optional<String>> more = new LinkedHashMap<>();
      more.put("access_key_id", Optional.ofNullable(r.getString("access_key_id")));
      more.put("source_ip", Optional.ofNullable(r.getString("source_ip")));
      more.put("error_code", Optional.ofNullable(r.getString("error_code")));
      more.put("named_role", Optional.ofNullable(r.getString("named_role")));
      more.put("with_decryption", Optional.of(String.valueOf(r.getBoolean("with_decryption"))));
      return new Kept(
          r.getString("credential_id"),
          r.getString("request_id"),
          r.getOffsetDateTime("at").toInstant(),
          r.getString("source"),
          r.getString("name"),
          r.getString("region"),
          more);
    }

    /** As {@code c} would be kept on {@code credentialId} of {@code requestId}. */
    static Kept of(String credentialId, String requestId, ActivityLookup.Call c) {
      Map<String, Optional<String>> more = new LinkedHashMap<>();
      more.put("access_key_id", c.accessKeyId());
      more.put("source_ip", c.sourceIp());
      more.put("error_code", c.errorCode());
      more.put("named_role", c.parameters().namedRole());
      more.put("with_decryption", Optional.of(String.valueOf(c.parameters().withDecryption())));
      // As the row keeps a time: to the microsecond.
      Instant at = c.time().truncatedTo(ChronoUnit.MICROS);
      return new Kept(credentialId, requestId, at, c.source(), c.name(), c.region(), more);
    }

    /** What it says, by field (none for one it has not), for the audit: never a secret. */
    Map<String, Object> fields() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("credential_id", credentialId);
      out.put("request_id", requestId);
      out.put("time", at.toString());
      out.put("event_source", source);
      out.put("event_name", name);
      out.put("aws_region", region);
      more.forEach((k, v) -> v.ifPresent(x -> out.put(k, x)));
      return out;
    }
  }

  /** Event {@code eventId}, kept as {@code kept}, arrived as {@code arrived}: {@code differing}. */
  record Conflict(String eventId, Kept kept, Kept arrived, List<String> differing) {}

  /**
   * The calls of {@code calls}, just kept (or skipped) on {@code credentialId} of {@code
   * requestId}, whose kept row says otherwise.
   */
  static Future<List<Conflict>> of(
      SqlClient client, String credentialId, String requestId, List<ActivityLookup.Call> calls) {
    String[] ids = calls.stream().map(ActivityLookup.Call::id).distinct().toArray(String[]::new);
    return client
        .preparedQuery(STORED)
        .execute(Tuple.tuple().addArrayOfString(ids))
        .map(
            rows -> {
              Map<String, Kept> stored = new HashMap<>();
              rows.forEach(r -> stored.put(r.getString("event_id"), Kept.of(r)));
              List<Conflict> out = new ArrayList<>();
              for (ActivityLookup.Call c : calls) {
                Kept kept = stored.get(c.id());
                Kept arrived = Kept.of(credentialId, requestId, c);
                List<String> differing = kept == null ? List.of() : differing(kept, arrived);
                if (!differing.isEmpty()) {
                  out.add(new Conflict(c.id(), kept, arrived, differing));
                }
              }
              return out;
            });
  }

  /** The fields in which two copies of one event differ, as the class comment says. */
  static List<String> differing(Kept kept, Kept arrived) {
    Map<String, Object> a = kept.fields();
    Map<String, Object> b = arrived.fields();
    boolean keyed = a.get("access_key_id") != null || b.get("access_key_id") != null;
    List<String> always = List.of("credential_id", "event_source", "event_name", "access_key_id");
    List<String> out = new ArrayList<>();
    for (String field : FIELDS) {
      boolean compared = keyed ? !field.equals("request_id") : always.contains(field);
      if (compared && !Objects.equals(a.get(field), b.get(field))) {
        out.add(field);
      }
    }
    return List.copyOf(out);
  }
}
