package dev.stint.standin;

import io.vertx.core.json.JsonObject;

/**
 * The refusals IAM Identity Center's JSON 1.1 APIs (SSO Admin, Identity Store) answer, as their
 * references name them: the error's code in {@code __type}, its message, and for a missing resource
 * its {@code ResourceType}.
 */
final class JsonRefusals {
  private JsonRefusals() {}

  /** The JSON protocol's names for the signature refusals {@link SigV4} states the query way. */
  static Refusal inJson(Refusal refusal) {
    return switch (refusal.code()) {
      case "SignatureDoesNotMatch" ->
          Refusal.sender(400, "InvalidSignatureException", refusal.message());
      default -> Refusal.sender(refusal.status(), refusal.code() + "Exception", refusal.message());
    };
  }

  /** A field missing or of a form the API model refuses. */
  static StandInReply validation(String field, String value) {
    return JsonServer.error(
        Refusal.sender(
            400,
            "ValidationException",
            value == null
                ? "1 validation error detected: " + field + " is missing or malformed"
                : "1 validation error detected: Value '"
                    + value
                    + "' at '"
                    + field
                    + "' failed to satisfy constraint"));
  }

  /** What does not exist, named by its type ({@code USER}, {@code PERMISSION_SET}, ...). */
  static StandInReply notFound(String type, String id) {
    JsonObject document =
        new JsonObject()
            .put("__type", "ResourceNotFoundException")
            .put("Message", type + (id == null ? "" : " " + id) + " not found.")
            .put("ResourceType", type);
    if (id != null) {
      document.put("ResourceId", id);
    }
    return new StandInReply(404, JsonServer.CONTENT_TYPE, document.encode());
  }
}
