package dev.stint.directory;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What a SCIM call answers: the status, the body (none for 204), and the {@code Location} and
 * {@code ETag} headers where the resource has them.
 */
public record ScimAnswer(
    int status, Optional<JsonObject> body, Optional<String> location, Optional<String> etag) {
  static ScimAnswer ok(JsonObject body) {
    return new ScimAnswer(200, Optional.of(body), Optional.empty(), etag(body));
  }

  static ScimAnswer created(JsonObject body) {
    String location = body.getJsonObject("meta").getString("location");
    return new ScimAnswer(201, Optional.of(body), Optional.of(location), etag(body));
  }

  static ScimAnswer noContent() {
    return new ScimAnswer(204, Optional.empty(), Optional.empty(), Optional.empty());
  }

  private static Optional<String> etag(JsonObject body) {
    return Optional.ofNullable(body.getJsonObject("meta")).map(m -> m.getString("version"));
  }
}
