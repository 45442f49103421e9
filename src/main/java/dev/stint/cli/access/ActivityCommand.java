package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ServerOptions.OutputFormat;
import dev.stint.cli.Table;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint activity REQ}: what a request's credentials were used for, from the cloud's own logs
 * ({@code GET /v1/requests/{id}/activity}): the summary, then the calls newest first, one page, or
 * every page with {@code --all}.
 */
@Command(
    name = "activity",
    description =
        "Show what a request's credentials were used for: calls per service and each call.")
public final class ActivityCommand implements Callable<Integer> {
  private final ApiClients clients;

  @Mixin ServerOptions server;

  @Parameters(index = "0", paramLabel = "REQUEST", description = "The request id (req_…).")
  String id;

  @Option(names = "--all", description = "Every call, following the pages; not only the newest.")
  boolean all;

  public ActivityCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    if (!ShowCommand.REQUEST_ID.matcher(id).matches()) {
      throw new CliException(CliException.USAGE, "'" + id + "' is not a request id (req_…)");
    }
    ApiClient api = clients.open(server);
    ObjectNode activity = page(api, null);
    ArrayNode events = (ArrayNode) activity.path("events");
    if (all) {
      for (String cursor = cursor(activity); cursor != null; ) {
        JsonNode next = page(api, cursor);
        events.addAll((ArrayNode) next.path("events"));
        cursor = cursor(next);
      }
      activity.remove("next_cursor");
    }
    PrintStream out = clients.env().out();
    if (server.output() == OutputFormat.JSON) {
      RequestPrinter.json(out, activity);
      return 0;
    }
    print(out, activity);
    return 0;
  }

  /** The page's {@code next_cursor}; null on the last page. */
  private static String cursor(JsonNode page) {
    JsonNode next = page.path("next_cursor");
    return next.isTextual() && !next.asText().isEmpty() ? next.asText() : null;
  }

  private ObjectNode page(ApiClient api, String cursor) {
    Map<String, String> query = new HashMap<>();
    query.put("cursor", cursor);
    JsonNode body = api.get("/v1/requests/" + id + "/activity", query).body();
    if (!(body instanceof ObjectNode o) || !body.path("events").isArray()) {
      throw new CliException(CliException.FAILED, "the server's answer has no list of calls");
    }
    return o;
  }

  private void print(PrintStream out, JsonNode activity) {
    JsonNode s = activity.path("summary");
    String looked = lookedUp(activity.path("sources"));
    if (s.path("calls").asLong() == 0) {
      out.println(Table.sanitize(id + ": " + noCallSeen(activity)));
      out.println("last looked up: " + looked);
      visible(out, activity);
      return;
    }
    out.println(
        Table.sanitize(
            id
                + ": "
                + s.path("calls").asLong()
                + " calls, "
                + s.path("errors").asLong()
                + " errors, first "
                + s.path("first_at").asText("-")
                + ", last "
                + s.path("last_at").asText("-")));
    out.println("last looked up: " + looked);
    visible(out, activity);
    out.println();
    Table services = new Table("SERVICE", "CALLS");
    Iterator<Map.Entry<String, JsonNode>> each = s.path("services").fields();
    while (each.hasNext()) {
      Map.Entry<String, JsonNode> e = each.next();
      services.row(e.getKey(), e.getValue().asLong());
    }
    services.print(out);
    out.println();
    calls(out, activity.path("events"));
    if (cursor(activity) != null) {
      out.println();
      out.println("newest calls only: --all prints every call");
    }
  }

  /**
   * No call seen: "not used" only where the server says every call the credentials could make would
   * have been seen.
   */
  static String noCallSeen(JsonNode activity) {
    return activity.path("summary").path("unused").asBoolean()
            && activity.path("visibility").path("whole").asBoolean()
        ? "not used (no call seen, and every call its credentials could make would be)"
        : "no call seen, but not every call is visible, so this does not show it unused";
  }

  /** What the server can and cannot see of the calls, in its words. */
  static void visible(PrintStream out, JsonNode activity) {
    JsonNode says = activity.path("visibility").path("says");
    if (says.isTextual()) {
      out.println(Table.sanitize("visible: " + says.asText()));
    }
  }

  /** The oldest of the sources' last lookups; "not yet" while one has not looked. */
  private static String lookedUp(JsonNode sources) {
    Instant oldest = null;
    for (JsonNode source : sources) {
      if (!source.hasNonNull("checked_at")) {
        return "not yet";
      }
      Instant at = Instant.parse(source.path("checked_at").asText());
      oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
    }
    return oldest == null ? "not yet" : oldest.toString();
  }

  private static void calls(PrintStream out, JsonNode events) {
    Table table = new Table("TIME", "SERVICE", "CALL", "REGION", "KEY", "SOURCE IP", "ERROR");
    for (JsonNode e : events) {
      table.row(
          e.path("time").asText(),
          e.path("event_source").asText(),
          e.path("event_name").asText(),
          e.path("aws_region").asText(),
          e.path("access_key_id").asText(null),
          e.path("source_ip").asText(null),
          e.path("error_code").asText(null));
    }
    table.print(out);
  }
}
