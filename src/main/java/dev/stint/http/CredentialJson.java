package dev.stint.http;

import dev.stint.issuance.ConsoleService;
import dev.stint.issuance.Issued;
import dev.stint.mint.AccessToken;
import dev.stint.mint.aws.AwsSession;
import io.vertx.core.json.JsonObject;

/**
 * The wire bodies of issued credentials (ARCHITECTURE §4). They carry the secret: nothing but the
 * HTTP answer is built from them.
 */
final class CredentialJson {
  private CredentialJson() {}

  static JsonObject of(Issued issued) {
    JsonObject body;
    if (issued.credential() instanceof AwsSession s) {
      body =
          new JsonObject()
              .put("cloud", "aws")
              .put("access_key_id", s.accessKeyId())
              .put("secret_access_key", s.secretAccessKey())
              .put("session_token", s.sessionToken())
              .put("expiration", s.expiration().toString());
    } else if (issued.credential() instanceof AccessToken t) {
      // GCP names the expiry expires_at, Azure expires_on, as their own tools do.
      body =
          new JsonObject()
              .put("cloud", t.cloud())
              .put("access_token", t.token())
              .put(
                  t.cloud().equals("azure") ? "expires_on" : "expires_at",
                  t.expiresAt().toString());
    } else {
      throw new IllegalArgumentException("no wire form for " + issued.credential().cloud());
    }
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
