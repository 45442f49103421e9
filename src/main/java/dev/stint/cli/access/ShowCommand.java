package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ServerOptions.OutputFormat;
import dev.stint.cli.Table;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code stint show REQ}: one request, how far its revocation has come, how far an IAM Identity
 * Center grant's account assignment has, and every credential issued on its grant (from the
 * server's credentials ledger: ids, targets, expiries, never a secret).
 */
@Command(
    name = "show",
    description = "Show a request, its revocation and the credentials issued" + " on its grant.")
public final class ShowCommand implements Callable<Integer> {
  /** A request id as the server makes them; nothing else goes into the path. */
  public static final Pattern REQUEST_ID = Pattern.compile("req_[a-z2-7]{1,64}");

  private final ApiClients clients;

  @Mixin ServerOptions server;

  @Parameters(index = "0", paramLabel = "REQUEST", description = "The request id (req_…).")
  String id;

  public ShowCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    if (!REQUEST_ID.matcher(id).matches()) {
      throw new CliException(CliException.USAGE, "'" + id + "' is not a request id (req_…)");
    }
    ApiClient api = clients.open(server);
    JsonNode request = api.get("/v1/requests/" + id, Map.of()).body();
    JsonNode credentials =
        api.get("/v1/requests/" + id + "/credentials", Map.of()).body().path("credentials");
    PrintStream out = clients.env().out();
    if (server.output() == OutputFormat.JSON) {
      ObjectNode both = request.deepCopy();
      both.set("credentials", credentials);
      RequestPrinter.json(out, both);
      return 0;
    }
    RequestPrinter.print(out, server.output(), request, clients.env().clock().instant());
    JsonNode revocation = request.path("revocation");
    if (!revocation.isMissingNode()) {
      out.println();
      out.println(
          "revocation: "
              + revocation.path("live_credentials").asText()
              + " — "
              + revocation.path("note").asText());
    }
    // An IAM Identity Center grant is an account assignment, not keys: how far it has come.
    String assignment = request.path("grant").path("assignment").path("state").asText("");
    if (!assignment.isEmpty()) {
      out.println();
      out.println(
          "assignment: "
              + Table.sanitize(assignment)
              + " (IAM Identity Center account assignment)");
    }
    out.println();
    credentials(out, credentials);
    return 0;
  }

  private static void credentials(PrintStream out, JsonNode credentials) {
    if (credentials.isEmpty()) {
      out.println("no credentials issued on this request's grant");
      return;
    }
    Table table = new Table("CREDENTIAL", "CLOUD", "TARGET", "KEY", "ISSUED", "EXPIRES", "STATE");
    for (JsonNode c : credentials) {
      table.row(
          c.path("id").asText(),
          c.path("cloud").asText(),
          c.path("target").asText(),
          c.hasNonNull("access_key_id")
              ? c.path("access_key_id").asText()
              : c.path("fingerprint").asText(),
          c.path("issued_at").asText(),
          c.path("expires_at").asText(),
          c.path("state").asText());
    }
    table.print(out);
  }
}
