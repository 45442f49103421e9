package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClients;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.Table;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stint profiles}: what the caller may request, for how long, and who must approve. */
@Command(name = "profiles", description = "List the profiles you may request.")
public final class ProfilesCommand implements Callable<Integer> {
  private final ApiClients clients;

  @Mixin ServerOptions server;

  public ProfilesCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    JsonNode profiles = clients.open(server).get("/v1/profiles", Map.of()).body().path("profiles");
    if (server.output() == ServerOptions.OutputFormat.JSON) {
      RequestPrinter.json(clients.env().out(), profiles);
      return 0;
    }
    Table table = new Table("PROFILE", "CLOUD", "MAX", "APPROVAL", "BREAK-GLASS", "DESCRIPTION");
    for (JsonNode p : profiles) {
      String approval =
          p.path("auto_approve_for_you").asBoolean()
              ? "auto for you"
              : p.path("approvals_required").asInt() + " approver(s)";
      table.row(
          p.path("name").asText(),
          p.path("cloud").asText(),
          p.path("max_duration").asText(),
          approval,
          p.path("break_glass").asBoolean() ? "yes" : "no",
          p.path("description").asText(""));
    }
    table.print(clients.env().out());
    for (JsonNode p : profiles) {
      parameters(p);
    }
    return 0;
  }

  /**
   * What a narrowed profile takes, under the table: each parameter as the flag that gives it, its
   * description, its pattern and the values the caller may choose when the policy lists them.
   */
  private void parameters(JsonNode profile) {
    JsonNode parameters = profile.path("parameters");
    if (!parameters.isArray() || parameters.isEmpty()) {
      return;
    }
    PrintStream out = clients.env().out();
    out.println();
    out.println(Table.sanitize(profile.path("name").asText()) + " is narrowed: give each value");
    for (JsonNode about : parameters) {
      List<String> values = new ArrayList<>();
      about.path("values").forEach(v -> values.add(v.asText()));
      out.println(
          Table.sanitize(
              "  --param "
                  + about.path("name").asText()
                  + "=VALUE  "
                  + about.path("description").asText("")
                  + " (pattern "
                  + about.path("pattern").asText()
                  + (about.path("values").isArray()
                      ? values.isEmpty()
                          ? "; none of its values is yours to choose"
                          : "; yours: " + String.join(", ", values)
                      : "")
                  + ")"));
    }
  }
}
