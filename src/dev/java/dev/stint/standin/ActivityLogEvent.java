package dev.stint.standin;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * DEVELOPMENT AND TEST ONLY: one event of Azure's Activity Log, in the shape of Microsoft's public
 * event schema (Administrative category): the operation, the resource, its status and sub-status,
 * the caller's address, and the claims of the token Resource Manager saw, {@code uti} among them.
 * An operation is logged as a {@code Started} event and its outcome, sharing an {@code
 * operationId}; {@link Builder#started()} gives the first, {@link Builder#build()} the outcome.
 */
public record ActivityLogEvent(String subscription, Instant time, JsonObject json) {
  public ActivityLogEvent {
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(time, "time");
    json = json.copy();
  }

  /** An operation on {@code resourceId} (in {@code subscription}) named {@code operation}. */
  public static Builder builder(String subscription, String resourceId, String operation) {
    return new Builder(subscription, resourceId, operation);
  }

  /** The event as the API answers it. */
  public JsonObject json() {
    return json.copy();
  }

  /** Builds the events of one operation. */
  public static final class Builder {
    private final String subscription;
    private final String resourceId;
    private final String operation;
    private final String operationId = UUID.randomUUID().toString();
    private final String correlationId = UUID.randomUUID().toString();
    private Instant time = Instant.now();
    private String status = "Succeeded";
    private String subStatus = "OK";
    private String clientIp = "198.51.100.7";
    private JsonObject claims = new JsonObject();
    private String caller = "";

    private Builder(String subscription, String resourceId, String operation) {
      this.subscription = subscription;
      this.resourceId = resourceId;
      this.operation = operation;
    }

    /** When the operation ended (its {@code Started} event is a second earlier). */
    public Builder time(Instant at) {
      this.time = at;
      return this;
    }

    /** Its outcome: {@code Succeeded}, {@code Failed} or {@code Canceled}, and the sub-status. */
    public Builder status(String value, String sub) {
      this.status = value;
      this.subStatus = sub;
      return this;
    }

    public Builder clientIp(String ip) {
      this.clientIp = ip;
      return this;
    }

    /**
     * Made with the token whose {@code uti}, {@code appid}, {@code tid} and object id these are, as
     * an app's token for Resource Manager (v1.0) carries them.
     */
    public Builder token(String uti, String appId, String tenant, String objectId) {
      this.caller = objectId;
      this.claims =
          new JsonObject()
              .put("aud", "https://management.core.windows.net/")
              .put("iss", "https://sts.windows.net/" + tenant + "/")
              .put("iat", String.valueOf(time.getEpochSecond() - 60))
              .put("nbf", String.valueOf(time.getEpochSecond() - 60))
              .put("exp", String.valueOf(time.getEpochSecond() + 3600))
              .put("aio", "E2ZgYNjS0f7+test")
              .put("appid", appId)
              .put("appidacr", "2")
              .put(
                  "http://schemas.microsoft.com/identity/claims/identityprovider",
                  "https://sts.windows.net/" + tenant + "/")
              .put("http://schemas.microsoft.com/identity/claims/objectidentifier", objectId)
              .put("http://schemas.microsoft.com/identity/claims/tenantid", tenant)
              .put("idtyp", "app")
              .put("uti", uti)
              .put("ver", "1.0")
              .put("xms_tcdt", "1600000000");
      return this;
    }

    /** The operation's first event, {@code Started}, a second before its outcome. */
    public ActivityLogEvent started() {
      return event("Started", "", time.minusSeconds(1), "BeginRequest");
    }

    /** The operation's outcome. */
    public ActivityLogEvent build() {
      return event(status, subStatus, time, "EndRequest");
    }

    private ActivityLogEvent event(String value, String sub, Instant at, String eventName) {
      String eventDataId = UUID.randomUUID().toString();
      String[] path = resourceId.split("/");
      String group = path.length > 4 ? path[4] : "";
      String provider =
          operation.contains("/") ? operation.substring(0, operation.indexOf('/')) : "";
      JsonObject json =
          new JsonObject()
              .put(
                  "authorization",
                  new JsonObject().put("action", operation).put("scope", resourceId))
              .put("caller", caller)
              .put("channels", "Operation")
              .put("claims", claims.copy())
              .put("correlationId", correlationId)
              .put("description", "")
              .put("eventDataId", eventDataId)
              .put("eventName", named(eventName))
              .put("category", named("Administrative"))
              .put(
                  "httpRequest",
                  new JsonObject()
                      .put("clientRequestId", UUID.randomUUID().toString())
                      .put("clientIpAddress", clientIp)
                      .put("method", operation.endsWith("/delete") ? "DELETE" : "PUT"))
              .put("id", resourceId + "/events/" + eventDataId + "/ticks/" + at.toEpochMilli())
              .put("level", "Informational")
              .put("resourceGroupName", group)
              .put("resourceProviderName", named(provider))
              .put("resourceId", resourceId)
              .put("operationId", operationId)
              .put("operationName", named(operation))
              .put("properties", new JsonObject())
              .put("status", named(value))
              .put("subStatus", named(sub))
              .put("eventTimestamp", at.toString())
              .put("submissionTimestamp", at.plusSeconds(12).toString())
              .put("subscriptionId", subscription)
              .put(
                  "tenantId",
                  claims.getString("http://schemas.microsoft.com/identity/claims/tenantid", ""));
      return new ActivityLogEvent(subscription, at, json);
    }

    private static JsonObject named(String value) {
      return new JsonObject().put("value", value).put("localizedValue", value);
    }
  }
}
