package dev.stint.standin;

import dev.stint.standin.RestServer.Reply;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DEVELOPMENT AND TEST ONLY: what a call to the Activity Log asks for, its {@code $filter} and
 * {@code $select} read as ARM reads them: the filter takes only the documented patterns ({@code
 * eventTimestamp ge 'T1'}, with {@code and eventTimestamp le 'T2'}, then at most one of {@code
 * resourceGroupName}, {@code resourceUri}, {@code resourceProvider}, {@code correlationId} {@code
 * eq '…'}), the selection only the properties an event has; anything else is 400 {@code
 * BadRequest}.
 *
 * @param field the property the filter narrows by, or null when it narrows by none
 * @param fields the properties to keep, all when empty
 */
record ActivityLogQuery(Instant from, Instant to, String field, String value, List<String> fields) {
  private static final Pattern FILTER =
      Pattern.compile(
          "eventTimestamp ge '([^']+)'(?: and eventTimestamp le '([^']+)')?"
              + "(?: and (resourceGroupName|resourceUri|resourceProvider|correlationId)"
              + " eq '([^']*)')?");
  private static final Set<String> SELECTABLE =
      Set.of(
          "authorization",
          "claims",
          "correlationId",
          "description",
          "eventDataId",
          "eventName",
          "eventTimestamp",
          "httpRequest",
          "level",
          "operationId",
          "operationName",
          "properties",
          "resourceGroupName",
          "resourceProviderName",
          "resourceId",
          "status",
          "submissionTimestamp",
          "subStatus",
          "subscriptionId");

  /** A call's query, or ARM's refusal of it. */
  record Parsed(ActivityLogQuery query, Reply refusal) {
    static Parsed refused(String message) {
      return new Parsed(null, ArmErrors.error(400, "BadRequest", message));
    }
  }

  /** The query of {@code filter} and {@code select} (either may be null); no end time is now. */
  static Parsed parse(String filter, String select, Instant now) {
    Matcher f = filter == null ? null : FILTER.matcher(filter.strip());
    if (f == null || !f.matches()) {
      return Parsed.refused("The $filter '" + filter + "' is not supported.");
    }
    Instant from;
    Instant to;
    try {
      from = OffsetDateTime.parse(f.group(1)).toInstant();
      to = f.group(2) == null ? now : OffsetDateTime.parse(f.group(2)).toInstant();
    } catch (DateTimeParseException e) {
      return Parsed.refused("The $filter has a time that is not a date.");
    }
    List<String> fields = select == null ? List.of() : List.of(select.split(","));
    if (!SELECTABLE.containsAll(fields)) {
      return Parsed.refused("The $select '" + select + "' names an unknown property.");
    }
    return new Parsed(new ActivityLogQuery(from, to, f.group(3), f.group(4), fields), null);
  }

  /** Whether {@code e} is in the filter's time range and has the value it narrows by, if any. */
  boolean takes(ActivityLogEvent e) {
    return !e.time().isBefore(from) && !e.time().isAfter(to) && narrowed(e);
  }

  private boolean narrowed(ActivityLogEvent e) {
    if (field == null) {
      return true;
    }
    JsonObject json = e.json();
    String actual =
        switch (field) {
          case "resourceGroupName" -> json.getString("resourceGroupName");
          case "resourceUri" -> json.getString("resourceId");
          case "resourceProvider" -> json.getJsonObject("resourceProviderName").getString("value");
          default -> json.getString("correlationId");
        };
    return value.equalsIgnoreCase(actual);
  }

  /** The event as the selection keeps it. */
  JsonObject selected(JsonObject event) {
    if (fields.isEmpty()) {
      return event;
    }
    JsonObject out = new JsonObject();
    fields.forEach(name -> out.put(name, event.getValue(name)));
    return out;
  }
}
