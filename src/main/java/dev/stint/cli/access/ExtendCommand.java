package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClients;
import dev.stint.cli.ServerOptions;
import dev.stint.common.Durations;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint extend ID --by 1h --reason …}: ask to lengthen the active grant of request ID.
 * Approvers decide with {@code stint approve|deny ext_…}; the holder may {@code stint cancel}.
 */
@Command(name = "extend", description = "Ask to lengthen an active grant.")
public final class ExtendCommand implements Callable<Integer> {
  private final ApiClients clients;

  @Mixin ServerOptions server;

  @Parameters(index = "0", paramLabel = "ID", description = "The request id (req_…) of the grant.")
  String id;

  @Option(
      names = "--by",
      required = true,
      paramLabel = "DURATION",
      description = "How much longer (30m, 1h, …).")
  String by;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why.")
  String reason;

  public ExtendCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    Duration more = RequestCommand.parse(by, "--by");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("duration_seconds", more.toSeconds());
    if (reason != null) {
      body.put("reason", reason);
    }
    String path = "/v1/requests/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/extend";
    JsonNode e = clients.open(server).post(path, body).body();
    if (server.output() == ServerOptions.OutputFormat.JSON) {
      RequestPrinter.json(clients.env().out(), e);
    } else if ("approved".equals(e.path("state").asText())) {
      clients
          .env()
          .out()
          .println(
              "extended "
                  + id
                  + " by "
                  + Durations.format(more)
                  + ": the grant now ends at "
                  + e.path("grant_ends_at").asText());
    } else {
      clients
          .env()
          .out()
          .println(
              "extension "
                  + e.path("id").asText()
                  + " of "
                  + id
                  + " (+"
                  + Durations.format(more)
                  + ") is "
                  + e.path("state").asText()
                  + ", needs "
                  + e.path("approvals_required").asInt()
                  + " approval(s): stint approve "
                  + e.path("id").asText());
    }
    return 0;
  }
}
