package dev.stint.http;

import dev.stint.issuance.ConsoleService;
import dev.stint.issuance.Issued;
import io.vertx.core.json.JsonObject;

/**
 * The wire bodies of issued credentials (ARCHITECTURE §4). They carry the secret: nothing but the
 * HTTP answer is built from them.
 */
final class CredentialJson {
  private CredentialJson() {}

  static JsonObject of(Issued issued) {
    JsonObject body = new JsonObject();
    issued.credential().wireFields().forEach(body::put);
    body.put("credential_id", issued.credentialId());
    issued.grantId().ifPresent(id -> body.put("grant_id", id));
    issued.ciRule().ifPresent(rule -> body.put("ci_rule", rule));
    return body;
  }

  static JsonObject of(ConsoleService.Link link) {
    return new JsonObject()
        .put("url", link.url())
        .put("expires_at", link.expiresAt().toString())
        .put("session_expires_at", link.sessionExpiresAt().toString())
        .put("grant_id", link.grantId());
  }
}
