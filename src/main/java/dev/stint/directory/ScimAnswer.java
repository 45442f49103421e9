package dev.stint.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What a SCIM call answers: the status, the body (none for 204), and the {@code Location} and
 * {@code ETag} headers where the resource has them.
 */
public record ScimAnswer(
    int status, Optional<JsonObject> body, Optional<String> location, Optional<String> etag) {
  /**
   * This answer with its resource, or each resource of its list, narrowed by {@code attributes};
   * its {@code Location} and {@code ETag} stay those of the whole resource.
   */
  public ScimAnswer narrowed(ScimAttributes attributes) {
    if (body.isEmpty() || attributes == ScimAttributes.ALL) {
      return this;
    }
    JsonObject b = body.get();
    JsonObject out;
    if (b.getValue("Resources") instanceof JsonArray list
        && b.getJsonArray("schemas", new JsonArray()).contains(ScimResources.LIST_SCHEMA)) {
      JsonArray narrowed = new JsonArray();
      list.forEach(r -> narrowed.add(attributes.apply((JsonObject) r)));
      out = b.copy().put("Resources", narrowed);
    } else {
      out = attributes.apply(b);
    }
    return new ScimAnswer(status, Optional.of(out), location, etag);
  }

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
