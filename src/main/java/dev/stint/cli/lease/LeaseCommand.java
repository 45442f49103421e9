package dev.stint.cli.lease;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ServerOptions.OutputFormat;
import dev.stint.cli.Table;
import dev.stint.cli.access.ShowCommand;
import dev.stint.cli.credentials.LeaseCache;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint lease}: task leases of one's own grants, for agents and scripts ({@code create}),
 * and what became of them ({@code list}, {@code show}, {@code activity}, {@code revoke}); an
 * approver's vote on one that waits ({@code approve}, {@code deny}). Each output ends with the step
 * that usually follows.
 */
@Command(
    name = "lease",
    description =
        "Lease an active grant to an agent or a script for one task, and see or revoke"
            + " its leases.")
public final class LeaseCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The command with its subcommands, ready to add under the root. */
  public static CommandLine commandLine(ApiClients clients) {
    return new CommandLine(new LeaseCommand())
        .addSubcommand("create", new LeaseCreateCommand(clients))
        .addSubcommand("list", new ListLeases(clients))
        .addSubcommand("show", new ShowLease(clients))
        .addSubcommand("activity", new LeaseActivity(clients))
        .addSubcommand("revoke", new RevokeLease(clients))
        .addSubcommand("approve", new LeaseVoteCommand(clients, "approve"))
        .addSubcommand("deny", new LeaseVoteCommand(clients, "deny"));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code stint lease list REQUEST}: the leases of one request's grant. */
  @Command(name = "list", description = "List the leases of a request's grant.")
  public static final class ListLeases implements Callable<Integer> {
    @Mixin ServerOptions server = new ServerOptions();

    @Parameters(index = "0", paramLabel = "REQUEST", description = "The request id (req_…).")
    String id;

    private final ApiClients clients;

    ListLeases(ApiClients clients) {
      this.clients = clients;
    }

    @Override
    public Integer call() {
      checked(id, ShowCommand.REQUEST_ID, "a request id (req_…)");
      JsonNode body = clients.open(server).get("/v1/requests/" + id + "/leases", Map.of()).body();
      PrintStream out = clients.env().out();
      if (server.output() == OutputFormat.JSON) {
        LeasePrinter.json(out, body);
        return 0;
      }
      JsonNode leases = body.path("leases");
      if (leases.isEmpty()) {
        out.println("no leases of " + id + ".");
        out.println(
            "Next: stint lease create "
                + id
                + " --task TEXT --duration 30m to lease it for a task");
        return 0;
      }
      LeasePrinter.table(out, leases);
      out.println();
      out.println("Next: stint lease show LEASE for one lease's policy and credentials");
      return 0;
    }
  }

  /** {@code stint lease show LEASE}: one lease, its policy and the credentials minted on it. */
  @Command(name = "show", description = "Show a lease, its policy and its credentials.")
  public static final class ShowLease implements Callable<Integer> {
    @Mixin ServerOptions server = new ServerOptions();

    @Parameters(index = "0", paramLabel = "LEASE", description = "The lease id (lse_…).")
    String id;

    private final ApiClients clients;

    ShowLease(ApiClients clients) {
      this.clients = clients;
    }

    @Override
    public Integer call() {
      checked(id, LeaseToken.LEASE_ID, "a lease id (lse_…)");
      JsonNode lease = clients.open(server).get("/v1/leases/" + id, Map.of()).body();
      PrintStream out = clients.env().out();
      if (server.output() == OutputFormat.JSON) {
        LeasePrinter.json(out, lease);
        return 0;
      }
      LeasePrinter.details(out, lease);
      out.println();
      out.println(
          "active".equals(lease.path("state").asText())
              ? "Next: stint lease activity " + id + ", or stint lease revoke " + id
              : "Next: stint lease activity " + id + " for what its credentials did");
      return 0;
    }
  }

  /** {@code stint lease activity LEASE}: what the lease's credentials did, as the server says. */
  @Command(name = "activity", description = "Show what a lease's credentials did.")
  public static final class LeaseActivity implements Callable<Integer> {
    @Mixin ServerOptions server = new ServerOptions();

    @Parameters(index = "0", paramLabel = "LEASE", description = "The lease id (lse_…).")
    String id;

    private final ApiClients clients;

    LeaseActivity(ApiClients clients) {
      this.clients = clients;
    }

    @Override
    public Integer call() {
      checked(id, LeaseToken.LEASE_ID, "a lease id (lse_…)");
      JsonNode activity =
          clients.open(server).get("/v1/leases/" + id + "/activity", Map.of()).body();
      PrintStream out = clients.env().out();
      if (server.output() == OutputFormat.JSON) {
        LeasePrinter.json(out, activity);
        return 0;
      }
      LeasePrinter.activity(out, activity);
      out.println();
      out.println("Next: stint lease show " + id + " for its credentials");
      return 0;
    }
  }

  /** {@code stint lease revoke LEASE}: ends the lease; its token mints nothing more. */
  @Command(
      name = "revoke",
      description = "Revoke a lease: its token, or its agent, mints no more credentials.")
  public static final class RevokeLease implements Callable<Integer> {
    @Mixin ServerOptions server = new ServerOptions();

    @Parameters(index = "0", paramLabel = "LEASE", description = "The lease id (lse_…).")
    String id;

    @Option(names = "--comment", paramLabel = "TEXT", description = "Why (kept in the audit).")
    String comment;

    private final ApiClients clients;

    RevokeLease(ApiClients clients) {
      this.clients = clients;
    }

    @Override
    public Integer call() {
      checked(id, LeaseToken.LEASE_ID, "a lease id (lse_…)");
      Map<String, Object> body = new LinkedHashMap<>();
      if (comment != null) {
        body.put("comment", comment);
      }
      ApiClient api = clients.open(server);
      JsonNode lease = api.post("/v1/leases/" + id + "/revoke", body).body();
      // Its cached credentials are denied in the cloud now: this machine stops serving them.
      new LeaseCache(clients.env().cacheDir()).forget(api.server().toString(), id);
      PrintStream out = clients.env().out();
      if (server.output() == OutputFormat.JSON) {
        LeasePrinter.json(out, lease);
        return 0;
      }
      out.println(
          "lease "
              + id
              + " is "
              + Table.sanitize(lease.path("state").asText())
              + ": it mints no more credentials.");
      forgetToken(clients, id, out);
      out.println("Next: stint lease activity " + id + " for what its credentials did");
      return 0;
    }
  }

  /**
   * Deletes this machine's copy of the lease's token, written by {@code lease create}: it mints
   * nothing any more, and a secret kept for nothing is a secret to lose.
   */
  private static void forgetToken(ApiClients clients, String id, PrintStream out) {
    Path file = LeaseToken.fileOf(clients.env(), id);
    try {
      if (Files.deleteIfExists(file)) {
        out.println("deleted its token file " + file);
      }
    } catch (IOException e) {
      clients.env().err().println("stint: could not delete " + file + ": " + e.getMessage());
    }
  }

  private static void checked(String id, Pattern shape, String what) {
    if (!shape.matcher(id).matches()) {
      throw new CliException(CliException.USAGE, "'" + Table.sanitize(id) + "' is not " + what);
    }
  }
}
