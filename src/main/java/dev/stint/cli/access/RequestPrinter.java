package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions.OutputFormat;
import dev.stint.cli.Table;
import dev.stint.common.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** How requests look on a terminal (a table) and to scripts (the server's JSON, unchanged). */
final class RequestPrinter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RequestPrinter() {}

  static void print(PrintStream out, OutputFormat format, JsonNode requests) {
    print(out, format, requests, Instant.now());
  }

  /** {@code now} turns an active grant's end into "ends in" (the reminder people act on). */
  static void print(PrintStream out, OutputFormat format, JsonNode requests, Instant now) {
    if (format == OutputFormat.JSON) {
      json(out, requests);
      return;
    }
    if (requests.isObject() && requests.path("requests").isArray()) {
      // A bundle: its requests, one row each, under the bundle's id.
      out.println(
          "bundle "
              + requests.path("id").asText()
              + (requests.hasNonNull("bundle") ? " (" + requests.path("bundle").asText() + ")" : "")
              + ": "
              + requests.path("state").asText());
      print(out, format, requests.path("requests"), now);
      return;
    }
    Table table =
        new Table("ID", "PROFILE", "STATE", "REQUESTER", "DURATION", "APPROVALS", "ENDS", "REASON");
    JsonNode rows = requests.isArray() ? requests : JSON.createArrayNode().add(requests);
    for (JsonNode r : rows) {
      JsonNode grant = r.path("grant");
      String state = r.path("state").asText();
      if (grant.path("needs_review").asBoolean(false)) {
        state += " (needs review)";
      }
      table.row(
          r.path("id").asText(),
          r.path("profile").asText(),
          state,
          person(r.path("requester")),
          Durations.format(Duration.ofSeconds(r.path("duration_seconds").asLong())),
          approvals(r),
          grant.isMissingNode() ? null : ends(grant, r.path("state").asText(), now),
          r.path("reason").asText());
    }
    table.print(out);
    for (JsonNode r : rows) {
      narrowed(out, r);
    }
  }

  /**
   * A narrowed request's values and the policy they fill, under the table: what an approver votes
   * on is this document, so it is printed whole (indented JSON), with the SHA-256 the ledger and
   * the audit name it by. Nothing for a request without parameters.
   */
  static void narrowed(PrintStream out, JsonNode request) {
    JsonNode values = request.path("parameters");
    if (!values.isObject() || values.isEmpty()) {
      return;
    }
    out.println();
    out.println(
        Table.sanitize(
            request.path("id").asText()
                + " narrows "
                + request.path("profile").asText()
                + " to "
                + values(values)));
    JsonNode policy = request.path("narrowed_policy");
    if (policy.isMissingNode() || policy.isNull()) {
      out.println("  (the server sent no policy document for it)");
      return;
    }
    out.println(
        "  policy it grants (sha256 "
            + Table.sanitize(request.path("narrowed_policy_sha256").asText("?"))
            + "):");
    try {
      JSON.writeValueAsString(policy)
          .lines()
          .forEach(line -> out.println("    " + Table.sanitize(line)));
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot print JSON: " + e.getMessage());
    }
  }

  /** {@code bucket=team-logs, prefix=2026} (the server's order: by name). */
  static String values(JsonNode values) {
    StringBuilder text = new StringBuilder();
    values
        .fields()
        .forEachRemaining(
            v ->
                text.append(text.length() == 0 ? "" : ", ")
                    .append(v.getKey())
                    .append('=')
                    .append(v.getValue().asText()));
    return text.toString();
  }

  /**
   * The end, and for an active grant how long is left: "2026-11-23T10:00:00Z (in 8m)"; for a
   * revoked grant when it really ended, "2026-11-23T09:20:00Z (revoked)", never its planned end.
   */
  static String ends(JsonNode grant, String state, Instant now) {
    String revoked = grant.path("revoked_at").asText("");
    if (!revoked.isEmpty()) {
      return grant.path("ended_at").asText(revoked) + " (revoked)";
    }
    String text = grant.path("ends_at").asText();
    if (!state.equals("active")) {
      return text;
    }
    try {
      Duration left = Duration.between(now, Instant.parse(text));
      return left.isNegative()
          ? text
          : text
              + " (in "
              + Durations.format(
                  left.withNanos(0).compareTo(Duration.ofMinutes(1)) < 0
                      ? left.withNanos(0)
                      : Duration.ofMinutes(left.toMinutes()))
              + ")";
    } catch (DateTimeParseException e) {
      return text;
    }
  }

  static void json(PrintStream out, JsonNode node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (IOException e) {
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
    if (r.path("break_glass").asBoolean()) {
      return "break-glass";
    }
    String all = yes + "/" + r.path("approvals_required").asInt();
    for (JsonNode stage : r.path("stages")) {
      if ("open".equals(stage.path("state").asText())
          && !"approval".equals(stage.path("name").asText())) {
        return all
            + " ("
            + Table.sanitize(stage.path("name").asText())
            + " "
            + stage.path("votes").asLong()
            + "/"
            + stage.path("count").asInt()
            + ")";
      }
    }
    return all;
  }

  static Instant instant(String text, String option) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new CliException(
          CliException.USAGE,
          option
              + " '"
              + text
              + "' is not an ISO-8601 time with offset, like 2026-11-23T14:00:00+01:00");
    }
  }
}
