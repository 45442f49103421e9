package dev.stint.audit;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;

/**
 * Keys every replica must share, so they live in the database: the first server to start stores a
 * random one, every later start reads it. They are kept outside {@code audit_events}, so exports
 * and sinks never carry them. The audit's redaction fingerprints use one (the same value must get
 * the same marker on every replica), the API's list cursors another (a cursor handed out by one
 * replica must open on the next).
 */
public final class AuditKeys {
  private static final String REDACTION = "redaction_fingerprint";
  private static final String CURSORS = "list_cursor";

  private AuditKeys() {}

  /** The redaction key, created on first use. */
  public static Future<AuditRedactor> redactor(Pool pool) {
    return shared(pool, REDACTION).map(AuditRedactor::new);
  }

  /** The 32 bytes that seal list cursors, created on first use. */
  public static Future<byte[]> cursors(Pool pool) {
    return shared(pool, CURSORS);
  }

  private static Future<byte[]> shared(Pool pool, String name) {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    return pool.preparedQuery(
            "INSERT INTO audit_keys (name, secret) VALUES ($1, $2)"
                + " ON CONFLICT (name) DO NOTHING")
        .execute(Tuple.of(name, Buffer.buffer(fresh)))
        .compose(
            x ->
                pool.preparedQuery("SELECT secret FROM audit_keys WHERE name = $1")
                    .execute(Tuple.of(name)))
        .map(rows -> rows.iterator().next().getBuffer("secret").getBytes());
  }
}
