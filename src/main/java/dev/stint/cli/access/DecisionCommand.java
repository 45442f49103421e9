package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.Prompter;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.Table;
import dev.stint.cli.credentials.CachedGrants;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint approve|deny|cancel|revoke|review ID}: one decision on one request. The server
 * decides who may do what; this command only names the action.
 */
@Command(description = "Decide on an access request.")
public final class DecisionCommand implements Callable<Integer> {
  /** The decisions, their endpoint and the past tense printed afterwards. */
  public enum Action {
    APPROVE("approve", "approved", "Approve a pending request."),
    DENY("deny", "denied", "Deny a pending request."),
    CANCEL("cancel", "cancelled", "Cancel your own pending request."),
    REVOKE("revoke", "revoked", "End an approved grant early."),
    REVIEW("review", "reviewed", "Mark a break-glass grant as reviewed.");

    final String path;
    final String done;
    public final String description;

    Action(String path, String done, String description) {
      this.path = path;
      this.done = done;
      this.description = description;
    }

    public String command() {
      return path;
    }
  }

  private final ApiClients clients;
  private final Action action;

  @Mixin ServerOptions server;

  @Parameters(
      index = "0",
      paramLabel = "ID",
      description = "The request id (req_…), or an extension id (ext_…).")
  String id;

  @Option(
      names = "--comment",
      paramLabel = "TEXT",
      description = "A comment kept with the decision.")
  String comment;

  /** Only {@code revoke} asks first, and so only it has this option (see {@code CliCommands}). */
  @Option(
      names = {"-y", "--yes"},
      description = "Revoke without asking (scripts, CI, no terminal).")
  boolean yes;

  public DecisionCommand(ApiClients clients, Action action) {
    this.clients = clients;
    this.action = action;
  }

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    if (comment != null) {
      body.put("comment", comment);
    }
    // Extensions (ext_…) are decided like requests, at their own endpoint.
    String path =
        (id.startsWith("ext_") ? "/v1/extensions/" : "/v1/requests/")
            + encode(id)
            + "/"
            + action.path;
    boolean ask = action == Action.REVOKE && !yes;
    if (ask && !clients.env().prompter().canAsk()) {
      throw new CliException(
          CliException.USAGE,
          "no terminal to ask on: run 'stint revoke "
              + id
              + " --yes' to revoke without being asked");
    }
    ApiClient api = clients.open(server);
    if (ask && !confirmed(api)) {
      clients.env().err().println("stint: nothing revoked");
      return CliException.USAGE;
    }
    JsonNode request = api.post(path, body).body();
    if (action == Action.REVOKE) {
      forgetCached(api, request);
    }
    print(request);
    return 0;
  }

  /** The decision's outcome: the request as JSON, or one line (and the revocation's note). */
  private void print(JsonNode request) {
    if (server.output() == ServerOptions.OutputFormat.JSON) {
      RequestPrinter.json(clients.env().out(), request);
    } else if (id.startsWith("ext_")) {
      clients
          .env()
          .out()
          .println(
              action.done
                  + " "
                  + id
                  + ": now "
                  + request.path("state").asText()
                  + " ("
                  + RequestPrinter.approvals(request)
                  + " approvals)"
                  + (request.has("grant_ends_at")
                      ? "; the grant now ends at " + request.path("grant_ends_at").asText()
                      : ""));
    } else {
      clients
          .env()
          .out()
          .println(
              action.done
                  + " "
                  + request.path("id").asText()
                  + ": now "
                  + request.path("state").asText()
                  + " ("
                  + RequestPrinter.approvals(request)
                  + " approvals)");
      JsonNode values = request.path("parameters");
      if (values.isObject() && !values.isEmpty()) {
        clients
            .env()
            .out()
            .println(
                Table.sanitize(
                    "  narrowed to "
                        + RequestPrinter.values(values)
                        + " (policy sha256 "
                        + request.path("narrowed_policy_sha256").asText("?")
                        + "; 'stint show "
                        + request.path("id").asText()
                        + "' prints it)"));
      }
      String note = request.path("revocation").path("note").asText("");
      if (!note.isEmpty()) {
        clients.env().out().println("  " + note);
      }
    }
  }

  /**
   * Asks "Revoke ID (profile P, held by X)? [y/N]", as the page's confirmation does: a revoke ends
   * someone's work at once and cannot be undone. The request is read first so the question names
   * what it ends.
   */
  private boolean confirmed(ApiClient api) {
    JsonNode request = api.get("/v1/requests/" + encode(id), Map.of()).body();
    String question =
        "Revoke "
            + Table.sanitize(request.path("id").asText(id))
            + " (profile "
            + Table.sanitize(request.path("profile").asText("?"))
            + ", held by "
            + Table.sanitize(RequestPrinter.person(request.path("requester")))
            + ")? [y/N] ";
    return Prompter.yes(clients.env().prompter().ask(question));
  }

  /**
   * A revoked grant's cached AWS credentials must not be served again from this machine: they are
   * deleted here, at once, rather than left to stop working when the deny reaches IAM.
   */
  private void forgetCached(ApiClient api, JsonNode request) {
    String grant = request.path("grant").path("id").asText("");
    int forgotten = new CachedGrants(clients.env()).forgetGrant(api.server().toString(), grant);
    if (forgotten > 0) {
      clients.env().err().println("deleted the cached credentials of grant " + grant);
    }
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }
}
