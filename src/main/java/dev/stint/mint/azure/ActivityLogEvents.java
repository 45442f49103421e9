package dev.stint.mint.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.mint.ActivityLookup;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A page of the Activity Log read into stint's calls: the events whose token claims carry the
 * credential's {@code uti}, one per operation.
 *
 * <p>Resource Manager logs an operation as several events sharing its {@code operationId}: {@code
 * Started}, often {@code Accepted}, then its outcome. Only the outcome ({@code Succeeded}, {@code
 * Failed}, {@code Canceled}) is kept, so a call counts once; an operation still running when it is
 * read is found at a later lookup, once it has ended.
 *
 * <p>Fields map as: {@code eventDataId} the call's id (a call read twice is kept once), {@code
 * eventTimestamp} its time, {@code resourceProviderName} the service, {@code operationName} the
 * operation, the subscription where it was logged as its place, {@code httpRequest.clientIpAddress}
 * the source address, and for a failure {@code subStatus} (else the status) as its error. AWS's
 * access key, role and source identity fields do not apply: the token is named by the credential
 * the call is kept under.
 */
final class ActivityLogEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> OUTCOMES = Set.of("Succeeded", "Failed", "Canceled");
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
    List<ActivityLookup.Call> calls = new ArrayList<>();
    for (JsonNode event : page.path("value")) {
      if (uti.equals(event.path("claims").path("uti").asText(null))
          && OUTCOMES.contains(event.path("status").path("value").asText(""))) {
        calls.add(call(event, subscription));
      }
    }
    String next = page.path("nextLink").asText("");
    return new ActivityLookup.Page(
        calls,
        next.isEmpty()
            ? Optional.empty()
            : Optional.of(cursor.next(cursor.url().resolve("/"), next)));
  }

  static ActivityLookup.Call call(JsonNode event, String subscription) {
    String status = event.path("status").path("value").asText("");
    String subStatus = event.path("subStatus").path("value").asText("");
    Optional<String> error =
        status.equals("Succeeded")
            ? Optional.empty()
            : Optional.of(subStatus.isEmpty() ? status : subStatus);
    String id = event.path("eventDataId").asText("");
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
        Optional.empty());
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
