package dev.stint.cli.lease;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ServerOptions.OutputFormat;
import dev.stint.cli.Table;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint lease approve LEASE} and {@code stint lease deny LEASE}: an approver's vote on a
 * lease whose profile asks one ({@code leases.approval: required}); the server decides who may.
 */
@Command(description = "Approve or deny a lease that waits for a vote (leases.approval: required).")
final class LeaseVoteCommand implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();

  @Parameters(index = "0", paramLabel = "LEASE", description = "The lease id (lse_…).")
  String id;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why (kept in the audit).")
  String comment;

  private final ApiClients clients;
  private final String action;

  /** {@code action}: {@code approve} or {@code deny}. */
  LeaseVoteCommand(ApiClients clients, String action) {
    this.clients = clients;
    this.action = action;
  }

  @Override
  public Integer call() {
    if (!LeaseToken.LEASE_ID.matcher(id).matches()) {
      throw new CliException(
          CliException.USAGE, "'" + Table.sanitize(id) + "' is not a lease id (lse_…)");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (comment != null) {
      body.put("comment", comment);
    }
    JsonNode lease = clients.open(server).post("/v1/leases/" + id + "/" + action, body).body();
    PrintStream out = clients.env().out();
    if (server.output() == OutputFormat.JSON) {
      LeasePrinter.json(out, lease);
      return 0;
    }
    String state = Table.sanitize(lease.path("state").asText());
    out.println("lease " + id + " is " + state + ".");
    out.println(
        "active".equals(state)
            ? "Next: its holder's agent mints with it; stint lease show " + id
            : "Next: stint lease show " + id);
    return 0;
  }
}
