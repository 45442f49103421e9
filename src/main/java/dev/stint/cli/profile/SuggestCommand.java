package dev.stint.cli.profile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ServerOptions.OutputFormat;
import dev.stint.cli.Table;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint profile suggest NAME [--since 90d] [--json] [--yaml]} ({@code GET
 * /v1/profiles/{name}/suggestion}): the actions the profile's own allowed calls needed, on which
 * resources; whether stint proved the suggestion within today's policy and covering every call;
 * what today's allows that nobody used. {@code --yaml} prints the suggestion as a {@code
 * session_policy} block to put under the profile's {@code aws:} in the policy file.
 */
@Command(
    name = "suggest",
    description =
        "Suggest a profile's session policy from the calls its credentials made that AWS allowed.",
    mixinStandardHelpOptions = true)
public final class SuggestCommand implements Callable<Integer> {
  private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final ApiClients clients;

  @Mixin ServerOptions server;

  @Parameters(index = "0", paramLabel = "NAME", description = "The profile.")
  String profile;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description = "The calls since then: a duration ago (90d) or an ISO-8601 time. Default: 90d.")
  String since = "90d";

  @Option(names = "--json", description = "Print the server's answer as JSON.")
  boolean json;

  @Option(
      names = "--yaml",
      description = "Print the suggestion as a session_policy block for the policy file.")
  boolean yaml;

  public SuggestCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    if (!PROFILE.matcher(profile).matches()) {
      throw new CliException(CliException.USAGE, "'" + profile + "' is not a profile name");
    }
    if (json && yaml) {
      throw new CliException(CliException.USAGE, "choose one of --json and --yaml");
    }
    ApiClient api = clients.open(server);
    JsonNode answer =
        api.get(
                "/v1/profiles/"
                    + URLEncoder.encode(profile, StandardCharsets.UTF_8)
                    + "/suggestion",
                Map.of("since", since))
            .body();
    if (!answer.path("observed").isArray()) {
      throw new CliException(CliException.FAILED, "the server's answer has no observed calls");
    }
    PrintStream out = clients.env().out();
    if (json || server.output() == OutputFormat.JSON) {
      out.println(answer.toString());
    } else if (yaml) {
      return SessionPolicyYaml.print(out, clients.env().err(), answer);
    } else {
      print(out, answer);
    }
    return 0;
  }

  private void print(PrintStream out, JsonNode a) {
    out.println(
        Table.sanitize(
            "profile "
                + a.path("profile").asText()
                + " since "
                + a.path("since").asText()
                + ": "
                + a.path("calls").asLong()
                + " allowed call(s), "
                + a.path("grants").asLong()
                + " grant(s)"));
    a.path("notes").forEach(n -> out.println(Table.sanitize("note: " + n.asText())));
    if (a.path("observed").isEmpty()) {
      printUnused(out, a);
      return;
    }
    Table table = new Table("ACTION", "CALLS", "LAST SEEN", "RESOURCES");
    for (JsonNode o : a.path("observed")) {
      table.row(
          o.path("action").asText(),
          o.path("count").asLong(),
          o.path("last_seen").asText(),
          String.join(" ", texts(o.path("resources"))));
    }
    table.print(out);
    out.println();
    out.println(proof("within today's policy", a, "contained"));
    out.println(proof("allows every observed call", a, "covers_observed"));
    printUnused(out, a);
    out.println(
        "next: stint profile suggest "
            + profile
            + " --yaml prints it as the profile's session_policy; stint policy check, then narrow");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static String proof(String what, JsonNode a, String field) {
    boolean proven = a.path(field).asBoolean(false);
    String why = a.path(field + "_why").asText("");
    return Table.sanitize(what + ": " + (proven ? "proven" : "not proven (" + why + ")"));
  }

  private static void printUnused(PrintStream out, JsonNode a) {
    List<String> unused = texts(a.path("unused"));
    out.println(
        Table.sanitize("unused today: " + (unused.isEmpty() ? "none" : String.join(", ", unused))));
  }
}
