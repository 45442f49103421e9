package dev.stint.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ServerOptions.OutputFormat;
import dev.stint.cli.Table;
import dev.stint.common.Durations;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint agent}: enroll an AI agent for some profiles ({@code enroll}: its token written once
 * to a private file, the agent file {@code stint mcp} reads), list one's agents with what each
 * asked ({@code list}), and revoke one, which ends every lease it asked ({@code revoke}).
 */
@Command(
    name = "agent",
    description = "Enroll an AI agent that asks for its own access (stint mcp), list or revoke it.")
public final class AgentCommand implements Runnable {
  static final Pattern AGENT_ID = Pattern.compile("agt_[a-z2-7]{24}");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The command with its subcommands, ready to add under the root. */
  public static CommandLine commandLine(ApiClients clients) {
    return new CommandLine(new AgentCommand())
        .addSubcommand("enroll", new Enroll(clients))
        .addSubcommand("list", new ListAgents(clients))
        .addSubcommand("revoke", new Revoke(clients));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code stint agent enroll NAME --profile P [--expires 30d] [--token-file F]}. */
  @Command(
      name = "enroll",
      description =
          "Enroll an agent for profiles it may ask for; its token is written to a private file"
              + " (never printed).")
  public static final class Enroll implements Callable<Integer> {
    @Option(
        names = "--server",
        paramLabel = "URL",
        description = "stint server URL (default: $STINT_SERVER, else the local one).")
    String serverUrl;

    @Option(
        names = "--insecure",
        description = "Allow plain http to a server that is not on this machine.")
    boolean insecure;

    @Parameters(index = "0", paramLabel = "NAME", description = "The agent's name, like coder.")
    String name;

    @Option(
        names = "--profile",
        paramLabel = "P",
        required = true,
        description = "A profile the agent may ask for (repeat for more).")
    List<String> profiles = List.of();

    @Option(
        names = "--expires",
        paramLabel = "DURATION",
        description = "When the agent ends, like 30d (default 30d, at most 90d).")
    String expires = "30d";

    @Option(
        names = {"--token-file", "--agent-file"},
        paramLabel = "FILE",
        description =
            "Where to write the agent's token, the agent file of 'stint mcp' (default:"
                + " agents/NAME.token in stint's config directory). Your login is read as for"
                + " every command ($STINT_TOKEN, else the stored login).")
    Path agentFile;

    private final ApiClients clients;

    Enroll(ApiClients clients) {
      this.clients = clients;
    }

    @Override
    public Integer call() {
      ServerOptions server = ServerOptions.of(serverUrl, null, insecure);
      Duration expiresIn;
      try {
        expiresIn = Durations.parse(expires);
      } catch (IllegalArgumentException e) {
        throw new CliException(CliException.USAGE, "--expires: " + e.getMessage());
      }
      Path file =
          agentFile != null
              ? agentFile
              : clients.env().configDir().resolve("agents").resolve(name + ".token");
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("profiles", profiles);
      body.put("expires_in", expiresIn.toSeconds());
      JsonNode answer = clients.open(server).post("/v1/agents", body).body();
      String id = answer.path("id").asText();
      AgentToken.write(answer.path("agent_token").asText(), file, id);
      PrintStream out = clients.env().out();
      out.println(
          "enrolled agent "
              + answer.path("name").asText()
              + " ("
              + id
              + ") for "
              + String.join(", ", profiles)
              + " until "
              + answer.path("expires_at").asText());
      out.println("its token is in " + file.toAbsolutePath() + " (0600; shown nowhere else)");
      out.println(
          "Next: give your MCP client {\"command\": \"stint\", \"args\": [\"mcp\","
              + " \"--agent-file\", \""
              + file.toAbsolutePath()
              + "\", \"--server\", \""
              + server.serverUrl(clients.env())
              + "\"]}");
      return 0;
    }
  }

  /** {@code stint agent list}: one's agents and what each asked. */
  @Command(name = "list", description = "List your agents and the leases each asked for.")
  public static final class ListAgents implements Callable<Integer> {
    @Mixin ServerOptions server = new ServerOptions();

    private final ApiClients clients;

    ListAgents(ApiClients clients) {
      this.clients = clients;
    }

    @Override
    public Integer call() {
      JsonNode body = clients.open(server).get("/v1/agents", Map.of()).body();
      PrintStream out = clients.env().out();
      if (server.output() == OutputFormat.JSON) {
        out.println(body.toPrettyString());
        return 0;
      }
      JsonNode agents = body.path("agents");
      if (agents.isEmpty()) {
        out.println("no agents. Next: stint agent enroll NAME --profile PROFILE");
        return 0;
      }
      Table table = new Table("ID", "NAME", "STATE", "PROFILES", "EXPIRES", "ASKED");
      for (JsonNode a : agents) {
        table.row(
            a.path("id").asText(),
            a.path("name").asText(),
            a.path("state").asText(),
            String.join(",", strings(a.path("profiles"))),
            a.path("expires_at").asText(),
            Integer.toString(a.path("asked").size()));
      }
      table.print(out);
      out.println();
      out.println("Next: stint agent revoke ID to end an agent and every lease it asked");
      return 0;
    }
  }

  /** {@code stint agent revoke ID}: ends the agent and every lease it asked. */
  @Command(name = "revoke", description = "Revoke an agent; every lease it asked ends.")
  public static final class Revoke implements Callable<Integer> {
    @Mixin ServerOptions server = new ServerOptions();

    @Parameters(index = "0", paramLabel = "AGENT", description = "The agent id (agt_…).")
    String id;

    private final ApiClients clients;

    Revoke(ApiClients clients) {
      this.clients = clients;
    }

    @Override
    public Integer call() {
      if (!AGENT_ID.matcher(id).matches()) {
        throw new CliException(CliException.USAGE, "AGENT is an agent id (agt_…)");
      }
      JsonNode answer = clients.open(server).post("/v1/agents/" + id + "/revoke", Map.of()).body();
      clients
          .env()
          .out()
          .println(
              "revoked agent "
                  + answer.path("name").asText()
                  + " ("
                  + id
                  + "): its token is refused and the leases it asked are ended");
      return 0;
    }
  }

  private static List<String> strings(JsonNode array) {
    ArrayList<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
