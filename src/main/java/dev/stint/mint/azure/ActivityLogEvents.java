package dev.stint.mint.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.mint.ActivityLookup;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A page of the Activity Log read into stint's calls: the events whose token claims carry the
 * credential's {@code uti}, one per operation.
 *
 * <p>Resource Manager logs an operation as several events sharing its {@code operationId}: {@code
 * Started}, often {@code Accepted}, then its outcome. Each is kept under the operation's id, so an
 * operation counts once whichever of its events is read first: one still running at the last lookup
 * counts as the use it is. Pages come newest first, so an outcome read together with its start is
 * the one kept, with its error; an outcome logged after its start was kept is not.
 *
 * <p>Fields map as: {@code operationId} the call's id (else {@code eventDataId}; a call read twice
 * is kept once), {@code eventTimestamp} its time, {@code resourceProviderName} the service, {@code
 * operationName} the operation, the subscription where it was logged as its place, {@code
 * httpRequest.clientIpAddress} the source address, and for a failure {@code subStatus} (else the
 * status) as its error. AWS's access key, role and source identity fields do not apply: the token
 * is named by the credential the call is kept under.
 */
final class ActivityLogEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Statuses of an operation that has not failed (yet). */
  private static final Set<String> NOT_FAILED = Set.of("Started", "Accepted", "Succeeded");

  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  private ActivityLogEvents() {}

  /** The page's calls made with the token {@code uti}, and the token of the next page. */
  static ActivityLookup.Page page(
      String body, String uti, String subscription, ActivityLogPages.Cursor cursor) {
    JsonNode page;
    try {
      page = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("the Activity Log answered a page that is not JSON");
    }
    if (page == null || !page.path("value").isArray()) {
      throw new IllegalStateException("the Activity Log answered a page without a value list");
    }
    // By the operation: the newest of its events on the page (its outcome, when it has one).
    Map<String, ActivityLookup.Call> calls = new LinkedHashMap<>();
    for (JsonNode event : page.path("value")) {
      if (uti.equals(event.path("claims").path("uti").asText(null))) {
        ActivityLookup.Call call = call(event, subscription);
        calls.putIfAbsent(call.id(), call);
      }
    }
    String next = page.path("nextLink").asText("");
    return new ActivityLookup.Page(
        List.copyOf(calls.values()),
        next.isEmpty() ? Optional.empty() : cursor.next(cursor.url().resolve("/"), next));
  }

  static ActivityLookup.Call call(JsonNode event, String subscription) {
    String status = event.path("status").path("value").asText("");
    String subStatus = event.path("subStatus").path("value").asText("");
    Optional<String> error =
        NOT_FAILED.contains(status)
            ? Optional.empty()
            : Optional.of(subStatus.isEmpty() ? status : subStatus);
    String id = event.path("operationId").asText("");
    if (id.isEmpty()) {
      id = event.path("eventDataId").asText("");
    }
    if (id.isEmpty()) {
      throw new IllegalStateException("the Activity Log answered an event without eventDataId");
    }
    return new ActivityLookup.Call(
        id,
        time(event.path("eventTimestamp").asText("")),
        event.path("resourceProviderName").path("value").asText(""),
        event.path("operationName").path("value").asText(""),
        event.path("subscriptionId").asText(subscription),
        text(event.path("httpRequest").path("clientIpAddress")),
        error,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        ActivityLookup.Parameters.NONE);
  }

  /**
   * A refused or failed call, cut down to Azure's HTTP status and error code (its message may name
   * resources, never a secret, but is not needed to act).
   */
  static IllegalStateException refusal(String subscription, int status, String body) {
    String code = "";
    try {
      code = JSON.readTree(body).path("error").path("code").asText("");
    } catch (IOException | RuntimeException e) {
      // no error document: the status says enough
    }
    return new IllegalStateException(
        "the Activity Log of subscription "
            + subscription
            + " answered HTTP "
            + status
            + (CODE.matcher(code).matches() ? " " + code : ""));
  }

  private static Instant time(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalStateException("the Activity Log answered an event without a time");
    }
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty()
        ? Optional.of(node.asText())
        : Optional.empty();
  }
}
