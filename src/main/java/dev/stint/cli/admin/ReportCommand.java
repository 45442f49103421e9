package dev.stint.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.Table;
import dev.stint.cli.TokenSource;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stint report}: the auditor's reports from the server ({@code unused}, {@code eligible}).
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Reports for auditors: grants never used, who may request and approve.")
public final class ReportCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The command with its subcommands, ready to add under the root. */
  public static CommandLine commandLine(CliEnvironment env, TokenSource tokens) {
    return new CommandLine(new ReportCommand())
        .addSubcommand("unused", new Unused(env, tokens))
        .addSubcommand("eligible", new EligibleReport(env, tokens));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Why a grant is listed: no credential, or no call seen; and, where calls could have been made
   * that stint cannot see (S3 reads without the push, …), that it is no proof of non-use.
   */
  static String why(JsonNode grant) {
    String why = grant.path("reason").asText().replace('_', ' ');
    JsonNode whole = grant.path("visibility").path("whole");
    return whole.isBoolean() && !whole.asBoolean() ? why + " seen, not every call visible" : why;
  }

  /** {@code stint report unused [--since 30d]}: {@code GET /v1/reports/unused}. */
  @Command(
      name = "unused",
      description =
          "List approved grants that ended in the window and were never used (auditors only).")
  static final class Unused implements Callable<Integer> {
    private final CliEnvironment env;
    private final TokenSource tokens;

    @Mixin ServerOptions server;

    @Option(
        names = "--since",
        paramLabel = "WHEN",
        description =
            "Grants that ended since then: a duration ago (30d, 12h) or an ISO-8601 time.")
    String since = "30d";

    Unused(CliEnvironment env, TokenSource tokens) {
      this.env = env;
      this.tokens = tokens;
    }

    @Override
    public Integer call() {
      ApiClient api = new ApiClient(server.serverUrl(env), tokens.token(server), server.insecure());
      JsonNode report = api.get("/v1/reports/unused", Map.of("since", since)).body();
      if (server.output() == ServerOptions.OutputFormat.JSON) {
        env.out().println(report.toString());
        return 0;
      }
      JsonNode grants = report.path("grants");
      if (grants.isEmpty()) {
        env.out()
            .println(
                "no unused grant ended since " + Table.sanitize(report.path("since").asText()));
        return 0;
      }
      Table table =
          new Table(
              "REQUEST",
              "PROFILE",
              "REQUESTER",
              "APPROVED",
              "ENDED",
              "CREDENTIALS",
              "CALLS",
              "WHY",
              "SETTLED");
      for (JsonNode g : grants) {
        JsonNode who = g.path("requester");
        table.row(
            g.path("request_id").asText(),
            g.path("profile").asText(),
            who.hasNonNull("email") ? who.path("email").asText() : who.path("subject").asText(),
            g.path("approved_at").asText(),
            g.path("ended_at").asText(),
            g.path("credentials").asLong(),
            g.path("calls").asLong(),
            why(g),
            g.path("settled").asBoolean() ? "yes" : "not yet");
      }
      table.print(env.out());
      if (report.path("truncated").asBoolean()) {
        env.err().println("more grants ended in the window: only the latest ends are listed");
      }
      return 0;
    }
  }
}
