package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
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

  public ExtensionsCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("state", pending ? "pending" : null);
    JsonNode list = clients.open(server).get("/v1/extensions", query).body().path("extensions");
    if (server.output() == ServerOptions.OutputFormat.JSON) {
      RequestPrinter.json(clients.env().out(), list);
      return 0;
    }
    Table table = new Table("ID", "REQUEST", "PROFILE", "STATE", "REQUESTER", "BY", "APPROVALS",
        "GRANT ENDS", "REASON");
    for (JsonNode e : list) {
      table.row(e.path("id").asText(), e.path("request_id").asText(), e.path("profile").asText(),
          e.path("state").asText(), RequestPrinter.person(e.path("requester")),
          Durations.format(Duration.ofSeconds(e.path("duration_seconds").asLong())),
          RequestPrinter.approvals(e), e.path("grant_ends_at").asText(""),
          e.path("reason").asText());
    }
    table.print(clients.env().out());
    return 0;
  }
}
