package dev.stint.notify.slack;

import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Links between Slack users and stint people (tables {@code slack_links} and {@code
 * slack_link_codes}). A link holds the person's verified claims as last seen at a web sign-in,
 * never a token; a code is kept only as its SHA-256 and spent after a few wrong tries.
 */
public final class SlackLinks {
  static final int MAX_TRIES = 5;
  private final Pool pool;

  public SlackLinks(Pool pool) {
    this.pool = pool;
  }

  /** A linked Slack user: who the person is, their claims as stored, when those were verified. */
  public record Link(
      String teamId,
      String userId,
      String issuer,
      String subject,
      JsonObject principal,
      Instant verifiedAt) {}

  /** The person linked to this Slack user, if any. */
  public Future<Optional<Link>> bySlackUser(String teamId, String userId) {
    return one(
        "SELECT * FROM slack_links WHERE team_id = $1 AND user_id = $2", Tuple.of(teamId, userId));
  }

  /** The Slack user linked to this person, if any. */
  public Future<Optional<Link>> byPerson(String issuer, String subject) {
    return one(
        "SELECT * FROM slack_links WHERE issuer = $1 AND subject = $2", Tuple.of(issuer, subject));
  }

  /**
   * The links whose person signed in since {@code since}, most recent first, at most {@code limit}.
   */
  public Future<List<Link>> verifiedSince(Instant since, int limit) {
    return pool.preparedQuery(
            "SELECT * FROM slack_links WHERE verified_at >= $1"
                + " ORDER BY verified_at DESC LIMIT $2")
        .execute(Tuple.of(Timestamps.utc(since), limit))
        .map(
            rows -> {
              List<Link> out = new ArrayList<>();
              rows.forEach(r -> out.add(link(r)));
              return out;
            });
  }

  private static Link link(Row r) {
    return new Link(
        r.getString("team_id"),
        r.getString("user_id"),
        r.getString("issuer"),
        r.getString("subject"),
        r.getJsonObject("principal"),
        r.getOffsetDateTime("verified_at").toInstant());
  }

  private Future<Optional<Link>> one(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.<Link>empty();
              }
              return Optional.of(link(rows.iterator().next()));
            });
  }

  /** Replaces the person's pending code (one at a time) with this one. */
  public Future<Void> offer(
      String issuer, String subject, String teamId, String userId, String code, Instant expiresAt) {
    return pool.preparedQuery(
            "INSERT INTO slack_link_codes (issuer, subject, team_id, user_id,"
                + " code_hash, attempts, expires_at) VALUES ($1, $2, $3, $4, $5, 0, $6)"
                + " ON CONFLICT (issuer, subject) DO UPDATE SET team_id = $3, user_id = $4,"
                + " code_hash = $5, attempts = 0, expires_at = $6")
        .execute(
            Tuple.of(
                issuer,
                subject,
                teamId,
                userId,
                Buffer.buffer(sha256(code)),
                Timestamps.utc(expiresAt)))
        .mapEmpty();
  }

  /**
   * Takes the person's code if {@code code} is it: unexpired, tried fewer than {@link #MAX_TRIES}
   * times. A wrong code counts a try. Answers the Slack user it was for.
   */
  public Future<Optional<Link>> redeem(
      String issuer,
      String subject,
      String code,
      JsonObject principal,
      Instant verifiedAt,
      Instant now) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "UPDATE slack_link_codes"
                        + " SET attempts = attempts + 1 WHERE issuer = $1 AND subject = $2"
                        + " RETURNING team_id, user_id, code_hash, attempts, expires_at")
                .execute(Tuple.of(issuer, subject))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture(Optional.<Link>empty());
                      }
                      Row r = rows.iterator().next();
                      boolean matches =
                          MessageDigest.isEqual(sha256(code), r.getBuffer("code_hash").getBytes());
                      boolean usable =
                          r.getInteger("attempts") <= MAX_TRIES
                              && r.getOffsetDateTime("expires_at").toInstant().isAfter(now);
                      if (!matches || !usable) {
                        return Future.succeededFuture(Optional.<Link>empty());
                      }
                      Link link =
                          new Link(
                              r.getString("team_id"),
                              r.getString("user_id"),
                              issuer,
                              subject,
                              principal,
                              verifiedAt);
                      // One Slack user per person and one person per Slack user: older links give
                      // way.
                      return conn.preparedQuery(
                              "DELETE FROM slack_links WHERE (issuer = $1 AND subject = $2)"
                                  + " OR (team_id = $3 AND user_id = $4)")
                          .execute(Tuple.of(issuer, subject, link.teamId(), link.userId()))
                          .compose(
                              x ->
                                  conn.preparedQuery(
                                          "INSERT INTO slack_links (team_id, user_id, issuer,"
                                              + " subject, principal, verified_at, linked_at) VALUES ($1, $2, $3, $4, $5,"
                                              + " $6, $7)")
                                      .execute(
                                          Tuple.of(
                                              link.teamId(),
                                              link.userId(),
                                              issuer,
                                              subject,
                                              principal,
                                              Timestamps.utc(verifiedAt),
                                              Timestamps.utc(now))))
                          .compose(
                              x ->
                                  conn.preparedQuery(
                                          "DELETE FROM slack_link_codes WHERE issuer = $1"
                                              + " AND subject = $2")
                                      .execute(Tuple.of(issuer, subject)))
                          .map(Optional.of(link));
                    }));
  }

  /** A fresh web sign-in: the person's link (if any) now judges clicks on these claims. */
  public Future<Void> refresh(
      String issuer, String subject, JsonObject principal, Instant verifiedAt) {
    return pool.preparedQuery(
            "UPDATE slack_links SET principal = $3, verified_at = $4"
                + " WHERE issuer = $1 AND subject = $2 AND verified_at < $4")
        .execute(Tuple.of(issuer, subject, principal, Timestamps.utc(verifiedAt)))
        .mapEmpty();
  }

  /** Ends the person's link. */
  public Future<Void> unlink(String issuer, String subject) {
    return pool.preparedQuery("DELETE FROM slack_links WHERE issuer = $1 AND subject = $2")
        .execute(Tuple.of(issuer, subject))
        .mapEmpty();
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
