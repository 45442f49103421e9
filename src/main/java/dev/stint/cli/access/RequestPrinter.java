package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions.OutputFormat;
import dev.stint.cli.Table;
import dev.stint.config.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** How requests look on a terminal (a table) and to scripts (the server's JSON, unchanged). */
final class RequestPrinter {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private RequestPrinter() {}

  static void print(PrintStream out, OutputFormat format, JsonNode requests) {
    if (format == OutputFormat.JSON) {
      json(out, requests);
      return;
    }
    Table table = new Table("ID", "PROFILE", "STATE", "REQUESTER", "DURATION", "APPROVALS",
        "ENDS", "REASON");
    for (JsonNode r : requests.isArray() ? requests : JSON.createArrayNode().add(requests)) {
      JsonNode grant = r.path("grant");
      String state = r.path("state").asText();
      if (grant.path("needs_review").asBoolean(false)) {
        state += " (needs review)";
      }
      table.row(r.path("id").asText(), r.path("profile").asText(), state,
          person(r.path("requester")), Durations.format(Duration.ofSeconds(r.path("duration_seconds").asLong())),
          approvals(r), grant.isMissingNode() ? null : grant.path("ends_at").asText(),
          r.path("reason").asText());
    }
    table.print(out);
  }

  static void json(PrintStream out, JsonNode node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (java.io.IOException e) {
      throw new CliException(CliException.FAILED, "cannot print JSON: " + e.getMessage());
    }
  }

  static String person(JsonNode p) {
    String email = p.path("email").asText("");
    return email.isEmpty() ? p.path("subject").asText() : email;
  }

  static String approvals(JsonNode r) {
    long yes = 0;
    for (JsonNode a : r.path("approvals")) {
      if ("approve".equals(a.path("decision").asText())) {
        yes++;
      }
    }
    return r.path("break_glass").asBoolean() ? "break-glass"
        : yes + "/" + r.path("approvals_required").asInt();
  }

  static Instant instant(String text, String option) {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new CliException(CliException.USAGE, option + " '" + text
          + "' is not an ISO-8601 time with offset, like 2026-11-23T14:00:00+01:00");
    }
  }
}
