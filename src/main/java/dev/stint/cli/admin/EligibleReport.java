package dev.stint.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.Table;
import dev.stint.cli.TokenSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stint report eligible [--profile NAME]}: {@code GET /v1/reports/eligible}, every page of
 * it. The server judges a page of directory users per call, so the command walks the pages: as a
 * table of who may do what, or with {@code -o json} as JSON Lines, one page's document a line.
 */
@Command(
    name = "eligible",
    description =
        "List who among the directory's active users may request and approve each profile"
            + " (auditors only).")
final class EligibleReport implements Callable<Integer> {
  private final CliEnvironment env;
  private final TokenSource tokens;

  @Mixin ServerOptions server;

  @Option(names = "--profile", paramLabel = "NAME", description = "Only this profile.")
  String profile;

  EligibleReport(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    ApiClient api = new ApiClient(server.serverUrl(env), tokens.token(server), server.insecure());
    boolean json = server.output() == ServerOptions.OutputFormat.JSON;
    Table table = new Table("PROFILE", "MAY", "USER", "BASIS", "ANSWER");
    int rows = 0;
    Optional<String> cursor = Optional.empty();
    String policy = null;
    do {
      Map<String, String> query = new LinkedHashMap<>();
      Optional.ofNullable(profile).ifPresent(p -> query.put("profile", p));
      cursor.ifPresent(c -> query.put("cursor", c));
      JsonNode page = api.get("/v1/reports/eligible", query).body();
      if (policy != null && !policy.equals(page.path("policy").asText())) {
        env.err().println("the policy changed while the report was read: run it again");
      }
      policy = page.path("policy").asText();
      if (json) {
        env.out().println(page.toString());
      } else {
        rows += rows(table, page);
      }
      cursor = Optional.ofNullable(page.path("next_cursor").textValue());
    } while (cursor.isPresent());
    if (!json) {
      if (rows == 0) {
        env.out().println("nobody in the directory may request or approve a profile");
      } else {
        table.print(env.out());
      }
    }
    return 0;
  }

  /** One row per person per right on this page; the count of rows added. */
  private static int rows(Table table, JsonNode page) {
    Map<String, JsonNode> users = new HashMap<>();
    page.path("users").forEach(u -> users.put(u.path("id").asText(), u));
    int added = 0;
    for (JsonNode p : page.path("profiles")) {
      String name = p.path("name").asText();
      added += rows(table, name, "request", p.path("requesters"), users);
      for (JsonNode s : p.path("stages")) {
        String stage = " (stage " + s.path("name").asText() + ")";
        added += rows(table, name, "approve" + stage, s.path("approvers"), users);
        added +=
            rows(
                table,
                name,
                "approve on escalation" + stage,
                s.path("escalation_approvers"),
                users);
      }
    }
    return added;
  }

  private static int rows(
      Table table, String profile, String may, JsonNode listed, Map<String, JsonNode> users) {
    for (JsonNode l : listed) {
      JsonNode u = users.getOrDefault(l.path("user").asText(), l);
      String answer = l.path("answer").asText();
      if (answer.equals("conditional")) {
        StringBuilder facts = new StringBuilder();
        l.path("facts").forEach(f -> facts.append(facts.isEmpty() ? "" : ", ").append(f.asText()));
        answer = "on " + facts;
      }
      table.row(
          profile,
          may,
          u.path("user_name").asText(l.path("user").asText()),
          u.path("basis").asText(),
          answer);
    }
    return listed.size();
  }
}
