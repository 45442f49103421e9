package dev.stint.standin;

import dev.stint.standin.RestServer.Reply;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/**
 * DEVELOPMENT AND TEST ONLY: Azure Resource Manager's error answers, {@code
 * {"error":{"code","message"}}}, and its throttling answer with {@code Retry-After}.
 */
final class ArmErrors {
  private ArmErrors() {}

  static Reply error(int status, String code, String message) {
    return Reply.json(
        status,
        new JsonObject()
            .put("error", new JsonObject().put("code", code).put("message", message))
            .encode());
  }

  static Reply throttled(Duration after) {
    Reply r =
        error(
            429,
            "TooManyRequests",
            "The request is being throttled as the limit has been reached for operation type"
                + " - Read_ObservationWindow_00:05:00.");
    return new Reply(
        429,
        Map.of(
            "Content-Type", "application/json", "Retry-After", String.valueOf(after.toSeconds())),
        r.body());
  }
}
