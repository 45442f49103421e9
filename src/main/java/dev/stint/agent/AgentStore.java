package dev.stint.agent;

import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code agents} table: an agent is revoked once, and nothing brings one back. */
final class AgentStore {
  private static final String COLUMNS =
      "id, name, owner_issuer_name, owner_issuer, owner_subject, owner_email, profiles,"
          + " created_at, expires_at, revoked_at, owner_claims";

  private final Pool pool;

  AgentStore(Pool pool) {
    this.pool = pool;
  }

  Future<Agent> insert(Agent a, String tokenSha256) {
    Tuple args =
        Tuple.of(
                a.id(),
                a.name(),
                a.ownerIssuerName(),
                a.owner().issuer(),
                a.owner().subject(),
                a.owner().email().orElse(null),
                new JsonArray(a.profiles()),
                tokenSha256,
                Timestamps.utc(a.createdAt()))
            .addValue(Timestamps.utc(a.expiresAt()))
            .addValue(a.ownerClaims());
    return pool.preparedQuery(
            "INSERT INTO agents (id, name, owner_issuer_name, owner_issuer, owner_subject,"
                + " owner_email, profiles, token_sha256, created_at, expires_at, owner_claims)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .execute(args)
        .map(x -> a);
  }

  Future<Optional<Agent>> find(String id) {
    return one("SELECT " + COLUMNS + " FROM agents WHERE id = $1", id);
  }

  /** The agent whose token hashes to {@code tokenSha256}, whatever its state. */
  Future<Optional<Agent>> byToken(String tokenSha256) {
    return one("SELECT " + COLUMNS + " FROM agents WHERE token_sha256 = $1", tokenSha256);
  }

  /** A person's agents, newest first. */
  Future<List<Agent>> ofOwner(Person owner) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM agents WHERE owner_issuer = $1 AND owner_subject = $2"
                + " ORDER BY created_at DESC, id")
        .execute(Tuple.of(owner.issuer(), owner.subject()))
        .map(AgentStore::all);
  }

  /** Revokes {@code id} if it is not revoked yet: the agent as revoked, or empty. */
  Future<Optional<Agent>> revoke(String id, Instant at) {
    return pool.preparedQuery(
            "UPDATE agents SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, Timestamps.utc(at)))
        .map(rows -> all(rows).stream().findFirst());
  }

  private Future<Optional<Agent>> one(String sql, String key) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(key))
        .map(rows -> all(rows).stream().findFirst());
  }

  private static List<Agent> all(RowSet<Row> rows) {
    List<Agent> out = new ArrayList<>();
    rows.forEach(r -> out.add(agent(r)));
    return out;
  }

  private static Agent agent(Row r) {
    List<String> profiles = new ArrayList<>();
    Object stored = r.getValue("profiles");
    if (stored instanceof JsonArray array) {
      array.forEach(p -> profiles.add(String.valueOf(p)));
    }
    return new Agent(
        r.getString("id"),
        r.getString("name"),
        new Person(
            r.getString("owner_issuer"),
            r.getString("owner_subject"),
            Optional.ofNullable(r.getString("owner_email"))),
        r.getString("owner_issuer_name"),
        profiles,
        r.getOffsetDateTime("created_at").toInstant(),
        r.getOffsetDateTime("expires_at").toInstant(),
        Optional.ofNullable(r.getOffsetDateTime("revoked_at")).map(t -> t.toInstant()),
        r.getJsonObject("owner_claims"));
  }
}
