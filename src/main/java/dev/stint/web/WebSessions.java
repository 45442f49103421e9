package dev.stint.web;

import dev.stint.common.Timestamps;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Web sessions and sign-ins in progress, in Postgres (so any replica serves any browser). The
 * browser holds a random 256-bit secret; the table holds only its SHA-256, so reading the table
 * gives nobody a session. A pending sign-in is taken with {@code DELETE … RETURNING}: exactly one
 * callback can use it.
 */
public final class WebSessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Sign-ins started but not finished, at most. Anyone may start one (it is how a signed-out
   * visitor signs in), so without a bound a visitor could grow this table until the disk the audit
   * log needs is full. Ten thousand in ten minutes is far beyond any company's sign-ins.
   */
  static final int MAX_PENDING_LOGINS = 10_000;

  private final Pool pool;

  public WebSessions(Pool pool) {
    this.pool = pool;
  }

  /** A signed-in browser: who (issuer name and verified claims) and until when. */
  public record Session(String secret, JsonObject principal, Instant expiresAt) {}

  /** What the callback needs to finish a sign-in it started. */
  public record PendingLogin(String nonce, String codeVerifier, String returnTo) {}

  /** 256 random bits, base64url: session ids, states, nonces, PKCE verifiers. */
  public static String randomSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Stores a new session and answers the secret for the cookie (never stored). */
  public Future<Session> create(JsonObject principal, Instant now, Instant expiresAt) {
    String secret = randomSecret();
    return pool.preparedQuery(
            "INSERT INTO web_sessions (id_hash, principal, created_at,"
                + " expires_at) VALUES ($1, $2, $3, $4)")
        .execute(
            Tuple.of(
                Buffer.buffer(sha256(secret)),
                principal,
                Timestamps.utc(now),
                Timestamps.utc(expiresAt)))
        .map(x -> new Session(secret, principal, expiresAt));
  }

  /** The unexpired session of this secret, if any. */
  public Future<Optional<Session>> find(String secret, Instant now) {
    return pool.preparedQuery(
            "SELECT principal, expires_at FROM web_sessions"
                + " WHERE id_hash = $1 AND expires_at > $2")
        .execute(Tuple.of(Buffer.buffer(sha256(secret)), Timestamps.utc(now)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new Session(
                      secret,
                      row.getJsonObject("principal"),
                      row.getOffsetDateTime("expires_at").toInstant()));
            });
  }

  public Future<Void> delete(String secret) {
    return pool.preparedQuery("DELETE FROM web_sessions WHERE id_hash = $1")
        .execute(Tuple.of(Buffer.buffer(sha256(secret))))
        .mapEmpty();
  }

  /** Records a sign-in that has just been sent to the IdP; stale ones are pruned on the way. */
  public Future<Void> startLogin(String state, PendingLogin login, Instant now, Instant expiresAt) {
    return startLogin(state, login, now, expiresAt, MAX_PENDING_LOGINS);
  }

  Future<Void> startLogin(
      String state, PendingLogin login, Instant now, Instant expiresAt, int maxPending) {
    return prune(now)
        .compose(
            x ->
                pool.preparedQuery(
                        "INSERT INTO web_logins (state_hash, nonce,"
                            + " code_verifier, return_to, expires_at) SELECT $1, $2, $3, $4, $5"
                            + " WHERE (SELECT count(*) FROM web_logins) < $6")
                    .execute(
                        Tuple.of(
                            Buffer.buffer(sha256(state)),
                            login.nonce(),
                            login.codeVerifier(),
                            login.returnTo(),
                            Timestamps.utc(expiresAt),
                            maxPending)))
        .compose(
            rows ->
                rows.rowCount() == 1
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        new StintException(
                            ErrorCode.UNAVAILABLE,
                            "too many sign-ins are in progress; try again in a few minutes")));
  }

  /** Takes (and so ends) the sign-in of this state; empty when unknown, used or expired. */
  public Future<Optional<PendingLogin>> takeLogin(String state, Instant now) {
    return pool.preparedQuery(
            "DELETE FROM web_logins WHERE state_hash = $1"
                + " RETURNING nonce, code_verifier, return_to, expires_at")
        .execute(Tuple.of(Buffer.buffer(sha256(state))))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              if (!row.getOffsetDateTime("expires_at").toInstant().isAfter(now)) {
                return Optional.empty();
              }
              return Optional.of(
                  new PendingLogin(
                      row.getString("nonce"),
                      row.getString("code_verifier"),
                      row.getString("return_to")));
            });
  }

  /** Deletes ended sessions and abandoned sign-ins. */
  public Future<Void> prune(Instant now) {
    return pool.preparedQuery("DELETE FROM web_logins WHERE expires_at <= $1")
        .execute(Tuple.of(Timestamps.utc(now)))
        .compose(
            x ->
                pool.preparedQuery("DELETE FROM web_sessions WHERE expires_at <= $1")
                    .execute(Tuple.of(Timestamps.utc(now))))
        .mapEmpty();
  }
}
