package dev.stint.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.Table;
import dev.stint.cli.TokenSource;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stint admin outbox [--retry ID]}: the side effects the server has not delivered yet
 * (pending, or dead after the outbox gave up), and putting one back in line.
 */
@Command(
    name = "outbox",
    mixinStandardHelpOptions = true,
    description =
        "List undelivered side effects (AWS revocations, notifications); --retry ID"
            + " puts one back in line.")
public final class OutboxCommand implements Callable<Integer> {
  private final CliEnvironment env;
  private final TokenSource tokens;

  @Mixin ServerOptions server;

  @Option(names = "--retry", paramLabel = "ID", description = "Deliver this entry again now.")
  Long retry;

  OutboxCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    ApiClient api = new ApiClient(server.serverUrl(env), tokens.token(server), server.insecure());
    if (retry != null) {
      JsonNode entry = api.post("/v1/admin/outbox/" + retry + "/retry", Map.of()).body();
      if (server.output() == ServerOptions.OutputFormat.JSON) {
        env.out().println(entry.toString());
      } else {
        env.out()
            .println(
                "outbox "
                    + entry.path("id").asLong()
                    + " ("
                    + entry.path("listener").asText()
                    + ", "
                    + entry.path("event").asText()
                    + ") is back in line");
      }
      return 0;
    }
    JsonNode entries = api.get("/v1/admin/outbox", Map.of()).body().path("entries");
    if (server.output() == ServerOptions.OutputFormat.JSON) {
      env.out().println(entries.toString());
      return 0;
    }
    Table table =
        new Table("ID", "STATE", "LISTENER", "EVENT", "REQUEST", "ATTEMPTS", "NEXT", "LAST ERROR");
    for (JsonNode e : entries) {
      table.row(
          e.path("id").asLong(),
          e.path("state").asText(),
          e.path("listener").asText(),
          e.path("event").asText(),
          e.path("request_id").asText(),
          e.path("attempts").asInt(),
          e.path("state").asText().equals("dead") ? "-" : e.path("next_attempt_at").asText(),
          e.path("last_error").asText("").replaceAll("\\p{Cntrl}", " "));
    }
    table.print(env.out());
    return 0;
  }
}
