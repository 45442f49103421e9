package dev.stint.issuance;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * A minted credential. {@link #body()} is the API answer (it carries the secret);
 * {@link #auditDetails()} is what the audit keeps instead: ids, expiry and fingerprints, never
 * the secret itself.
 */
public interface Issued {
  String cloud();

  Instant expiresAt();

  JsonObject body();

  Map<String, Object> auditDetails();
}
