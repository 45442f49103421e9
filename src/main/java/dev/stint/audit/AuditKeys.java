package dev.stint.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;

/**
 * The key of the audit's redaction fingerprints. Every replica must use the same key, or the
 * same value would get different markers, so it lives in the database: the first server to start
 * stores a random one, every later start reads it. It is kept outside {@code audit_events}, so
 * exports and sinks never carry it.
 */
public final class AuditKeys {
  private static final String NAME = "redaction_fingerprint";

  private AuditKeys() {}

  /** The shared key, created on first use. */
  public static Future<AuditRedactor> redactor(Pool pool) {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    return pool.preparedQuery("INSERT INTO audit_keys (name, secret) VALUES ($1, $2)"
            + " ON CONFLICT (name) DO NOTHING")
        .execute(Tuple.of(NAME, io.vertx.core.buffer.Buffer.buffer(fresh)))
        .compose(x -> pool.preparedQuery("SELECT secret FROM audit_keys WHERE name = $1")
            .execute(Tuple.of(NAME)))
        .map(rows -> new AuditRedactor(rows.iterator().next().getBuffer("secret").getBytes()));
  }
}
