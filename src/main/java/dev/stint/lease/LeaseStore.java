package dev.stint.lease;

import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code leases} table. A lease changes state once, from active, and only by a write that finds
 * it still active: a revoke and its grant's end cannot both end it, and nothing brings one back.
 */
final class LeaseStore implements RevokedLeases {
  static final String COLUMNS =
      "id, request_id, grant_id, profile, holder_issuer, holder_subject, task, created_at, expires_at,"
          + " state, parameters, policy, policy_sha256, agent_issuer, agent_subject, ended_at,"
          + " ended_by_issuer, ended_by_subject, approved_at, approved_by_issuer,"
          + " approved_by_subject, agent_name, agent_owner, agent_needs_approver";
  private static final String INSERT =
      "INSERT INTO leases (id, request_id, grant_id, profile, holder_issuer, holder_subject,"
          + " task, created_at, expires_at, parameters, policy, policy_sha256, token_sha256,"
          + " agent_issuer, agent_subject, state, agent_name, agent_owner, agent_needs_approver)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
          + " $18, $19)";
  private static final String END =
      " SET state = $2, ended_at = $3, ended_by_issuer = $4, ended_by_subject = $5";

  /**
   * The first key of the grants' turns for making leases, in the two-key advisory lock space the
   * outbox's turns also use, with a constant of its own.
   */
  private static final int TURNS = 0x53544c45;

  private final Pool pool;

  LeaseStore(Pool pool) {
    this.pool = pool;
  }

  /** Stores a new, active lease; {@code tokenSha256} is its token's hash, or empty for an agent. */
  public static Future<Lease> insert(SqlClient client, Lease lease, Optional<String> tokenSha256) {
    Tuple args =
        Tuple.of(
                lease.id(),
                lease.requestId(),
                lease.grantId(),
                lease.profile(),
                lease.holder().issuer(),
                lease.holder().subject(),
                lease.task(),
                Timestamps.utc(lease.window().createdAt()),
                Timestamps.utc(lease.window().expiresAt()))
            .addValue(values(lease.narrowing().values()))
            .addValue(lease.narrowing().policy().map(FilledDocument::json).orElse(null))
            .addValue(lease.narrowing().policy().map(FilledDocument::sha256).orElse(null))
            .addValue(tokenSha256.orElse(null))
            .addValue(lease.agent().map(Person::issuer).orElse(null))
            .addValue(lease.agent().map(Person::subject).orElse(null))
            .addValue(lease.state().code())
            .addValue(lease.askedBy().map(Lease.AskedBy::agentName).orElse(null))
            .addValue(lease.askedBy().map(Lease.AskedBy::owner).orElse(null))
            .addValue(lease.askedBy().map(Lease.AskedBy::approverRequired).orElse(null));
    return client.preparedQuery(INSERT).execute(args).map(x -> lease);
  }

  public Future<Optional<Lease>> find(String id) {
    return one("SELECT " + COLUMNS + " FROM leases WHERE id = $1", id);
  }

  /** The lease whose token hashes to {@code tokenSha256}, whatever its state. */
  public Future<Optional<Lease>> byToken(String tokenSha256) {
    return one("SELECT " + COLUMNS + " FROM leases WHERE token_sha256 = $1", tokenSha256);
  }

  /** The leases an enrolled agent asked for, newest first. */
  public Future<List<Lease>> ofAgent(String agentId) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM leases WHERE agent_issuer = $1 AND agent_subject = $2"
                + " ORDER BY created_at DESC, id")
        .execute(Tuple.of(Lease.AGENT_ISSUER, agentId))
        .map(LeaseStore::all);
  }

  /** The leases of one request, oldest first. */
  public Future<List<Lease>> ofRequest(String requestId) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM leases WHERE request_id = $1 ORDER BY created_at, id")
        .execute(Tuple.of(requestId))
        .map(LeaseStore::all);
  }

  @Override
  public Future<List<String>> revokedOf(String requestId) {
    return ofRequest(requestId)
        .map(
            all ->
                all.stream().filter(l -> l.state() == Lease.State.REVOKED).map(Lease::id).toList());
  }

  /**
   * How many leases of {@code grantId} are active or waiting, and unexpired at {@code now}, counted
   * in {@code conn}'s transaction after taking the grant's turn: two leases made at once on one
   * grant are counted one after the other, so {@code max_active} holds.
   */
  public static Future<Integer> liveOf(SqlConnection conn, String grantId, Instant now) {
    return turn(conn, grantId)
        .compose(
            locked ->
                conn.preparedQuery(
                        "SELECT count(*) AS n FROM leases WHERE grant_id = $1"
                            + " AND state IN ('pending', 'active') AND expires_at > $2")
                    .execute(Tuple.of(grantId, Timestamps.utc(now))))
        .map(rows -> rows.iterator().next().getInteger("n"));
  }

  /** Revokes {@code id} if it is still active: the lease as revoked, or empty when it was not. */
  public static Future<Optional<Lease>> revoke(SqlClient client, String id, Person by, Instant at) {
    return client
        .preparedQuery(
            "UPDATE leases"
                + END
                + " WHERE id = $1 AND state IN ('pending', 'active') RETURNING "
                + COLUMNS)
        .execute(
            Tuple.of(id, Lease.State.REVOKED.code(), Timestamps.utc(at), by.issuer(), by.subject()))
        .map(rows -> all(rows).stream().findFirst());
  }

  /** Approves {@code id} if it still waits: the lease as active, or empty when it was not. */
  public static Future<Optional<Lease>> approve(
      SqlClient client, String id, Person by, Instant at) {
    return client
        .preparedQuery(
            "UPDATE leases SET state = 'active', approved_at = $2, approved_by_issuer = $3,"
                + " approved_by_subject = $4 WHERE id = $1 AND state = 'pending' RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, Timestamps.utc(at), by.issuer(), by.subject()))
        .map(rows -> all(rows).stream().findFirst());
  }

  /** Denies {@code id} if it still waits: the lease as denied, or empty when it was not. */
  public static Future<Optional<Lease>> deny(SqlClient client, String id, Person by, Instant at) {
    return client
        .preparedQuery(
            "UPDATE leases" + END + " WHERE id = $1 AND state = 'pending' RETURNING " + COLUMNS)
        .execute(
            Tuple.of(id, Lease.State.DENIED.code(), Timestamps.utc(at), by.issuer(), by.subject()))
        .map(rows -> all(rows).stream().findFirst());
  }

  /**
   * Ends every active lease of {@code grantId} not yet expired at {@code at}, as its grant ended:
   * the leases ended (an expired one keeps the end it had).
   */
  public static Future<List<Lease>> endWithGrant(
      SqlConnection conn, String grantId, Person by, Instant at) {
    // In the grant's turn: a lease being made on it now is either ended here, or finds the grant
    // revoked before it commits.
    return turn(conn, grantId)
        .compose(
            x ->
                conn.preparedQuery(
                        "UPDATE leases"
                            + END
                            + " WHERE grant_id = $1 AND state IN ('pending', 'active')"
                            + " AND expires_at > $3 RETURNING "
                            + COLUMNS)
                    .execute(
                        Tuple.of(
                            grantId,
                            Lease.State.ENDED.code(),
                            Timestamps.utc(at),
                            by.issuer(),
                            by.subject())))
        .map(LeaseStore::all);
  }

  /** Takes the grant's turn for its leases, until {@code conn}'s transaction ends. */
  private static Future<Void> turn(SqlConnection conn, String grantId) {
    return conn.preparedQuery("SELECT pg_advisory_xact_lock(" + TURNS + ", hashtext($1))")
        .execute(Tuple.of(grantId))
        .mapEmpty();
  }

  private Future<Optional<Lease>> one(String sql, String key) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(key))
        .map(rows -> all(rows).stream().findFirst());
  }

  private static List<Lease> all(RowSet<Row> rows) {
    List<Lease> out = new ArrayList<>();
    rows.forEach(r -> out.add(lease(r)));
    return out;
  }

  static Lease lease(Row r) {
    Optional<Lease.End> end =
        Optional.ofNullable(r.getOffsetDateTime("ended_at"))
            .map(
                at ->
                    new Lease.End(
                        person(r.getString("ended_by_issuer"), r.getString("ended_by_subject")),
                        at.toInstant()));
    return new Lease(
        r.getString("id"),
        r.getString("request_id"),
        r.getString("grant_id"),
        r.getString("profile"),
        person(r.getString("holder_issuer"), r.getString("holder_subject")),
        r.getString("task"),
        new Lease.Window(
            r.getOffsetDateTime("created_at").toInstant(),
            r.getOffsetDateTime("expires_at").toInstant()),
        Lease.State.of(r.getString("state")),
        new Lease.Narrowing(
            parameters(r.getValue("parameters")),
            Optional.ofNullable(r.getString("policy")).map(FilledDocument::new)),
        Optional.ofNullable(r.getString("agent_issuer"))
            .map(issuer -> person(issuer, r.getString("agent_subject"))),
        Optional.ofNullable(r.getOffsetDateTime("approved_at"))
            .map(
                at ->
                    new Lease.End(
                        person(
                            r.getString("approved_by_issuer"), r.getString("approved_by_subject")),
                        at.toInstant())),
        end,
        Optional.ofNullable(r.getString("agent_name"))
            .map(
                name ->
                    new Lease.AskedBy(
                        name, r.getString("agent_owner"), r.getBoolean("agent_needs_approver"))));
  }

  private static Person person(String issuer, String subject) {
    return new Person(issuer, subject, Optional.empty());
  }

  private static JsonObject values(ParameterValues values) {
    JsonObject out = new JsonObject();
    values.values().forEach(out::put);
    return out;
  }

  private static ParameterValues parameters(Object stored) {
    Map<String, String> values = new TreeMap<>();
    if (stored instanceof JsonObject object) {
      object.forEach(e -> values.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return ParameterValues.of(values);
  }
}
