package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.Table;
import dev.stint.common.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stint extensions [--pending]}: extensions of grants the caller may see. */
@Command(name = "extensions", description = "List extensions of grants you hold or may decide.")
public final class ExtensionsCommand implements Callable<Integer> {
  private final ApiClients clients;

  @Mixin ServerOptions server;

  @Option(names = "--pending", description = "Only extensions waiting for a decision.")
  boolean pending;

  /** Enough for any queue a person reads; a list past it is cut, not fetched forever. */
  private static final int MAX_PAGES = 40;

  public ExtensionsCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    // The server pages the list and may skip what the caller may not see, so a page can be
    // short or empty while more remain: follow the cursor to the end.
    ApiClient api = clients.open(server);
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    String cursor = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("state", pending ? "pending" : null);
      query.put("limit", "500");
      query.put("cursor", cursor);
      JsonNode body = api.get("/v1/extensions", query).body();
      body.path("extensions").forEach(list::add);
      cursor = body.path("next_cursor").isTextual() ? body.path("next_cursor").asText() : null;
      if (cursor == null) {
        break;
      }
    }
    if (server.output() == ServerOptions.OutputFormat.JSON) {
      RequestPrinter.json(clients.env().out(), list);
      return 0;
    }
    Table table =
        new Table(
            "ID",
            "REQUEST",
            "PROFILE",
            "STATE",
            "REQUESTER",
            "BY",
            "APPROVALS",
            "GRANT ENDS",
            "REASON");
    for (JsonNode e : list) {
      table.row(
          e.path("id").asText(),
          e.path("request_id").asText(),
          e.path("profile").asText(),
          e.path("state").asText(),
          RequestPrinter.person(e.path("requester")),
          Durations.format(Duration.ofSeconds(e.path("duration_seconds").asLong())),
          RequestPrinter.approvals(e),
          e.path("grant_ends_at").asText(""),
          e.path("reason").asText());
    }
    table.print(clients.env().out());
    return 0;
  }
}
