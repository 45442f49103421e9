package dev.stint.mint.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * What names an Entra access token without its secret: its {@code uti} claim (the token's unique
 * identifier, which Azure Resource Manager's Activity Log records with each operation) and its
 * {@code tid} (the tenant that issued it), read from the JWT's payload.
 *
 * <p>The signature is not verified: the token was received from Entra over TLS a moment ago and is
 * read only for an identifier to find it by in Microsoft's logs, never to decide anything about its
 * holder. A token that is not a JWT (Entra issues opaque tokens for some resources), or whose
 * payload carries no {@code uti}, has nothing to match: empty.
 */
final class EntraClaims {
  /** Past this, the payload is not an access token's: nothing is decoded. */
  private static final int MAX_PAYLOAD = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The identifiers of one token. */
  record Ids(String uti, Optional<String> tenant) {}

  private EntraClaims() {}

  static Optional<Ids> of(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[1].isEmpty() || parts[1].length() > MAX_PAYLOAD) {
      return Optional.empty();
    }
    JsonNode payload;
    try {
      payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IllegalArgumentException | IOException e) {
      // The message could quote the token's bytes: it is not kept.
      return Optional.empty();
    }
    if (payload == null
        || !payload.path("uti").isTextual()
        || payload.path("uti").asText().isBlank()) {
      return Optional.empty();
    }
    Optional<String> tenant =
        payload.path("tid").isTextual()
            ? Optional.of(payload.path("tid").asText())
            : Optional.empty();
    return Optional.of(new Ids(payload.path("uti").asText(), tenant));
  }
}
