package dev.stint.cli.finding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ServerOptions.OutputFormat;
import dev.stint.cli.Table;
import dev.stint.cli.access.ShowCommand;
import dev.stint.cli.lease.LeaseToken;
import dev.stint.common.Durations;
import java.io.PrintStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint findings [REQUEST|LEASE] [--since 7d]}: what the finding rules flagged
 * (docs/findings.md). With a request ({@code GET /v1/requests/{id}/findings}) or a task lease
 * ({@code GET /v1/leases/{id}/findings}), for whoever may see the request; without, every finding
 * since then ({@code GET /v1/findings}), for auditors. Each finding on a line, its sentence under
 * the table, then the next step.
 */
@Command(
    name = "findings",
    description =
        "Show what the finding rules flagged: one request's or lease's, or everyone's (auditors).")
public final class FindingsCommand implements Callable<Integer> {
  private final ApiClients clients;

  @Mixin ServerOptions server;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "REQUEST",
      description = "A request (req_…) or a task lease (lse_…); without one, every finding.")
  String id;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "Findings raised since then: a duration ago (7d, 12h) or an ISO-8601 time. Default:"
              + " all of one request's, the last 7d of everyone's.")
  String since;

  public FindingsCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    Instant from = since == null ? null : instant(since, clients.env().clock().instant());
    ApiClient api = clients.open(server);
    JsonNode answer = api.get(path(), query()).body();
    if (!(answer instanceof ObjectNode o) || !answer.path("findings").isArray()) {
      throw new CliException(CliException.FAILED, "the server's answer has no list of findings");
    }
    if (from != null && id != null) {
      ArrayNode kept = o.putArray("kept");
      answer.path("findings").forEach(f -> keepIfSince(kept, f, from));
      o.set("findings", kept);
      o.remove("kept");
    }
    PrintStream out = clients.env().out();
    if (server.output() == OutputFormat.JSON) {
      out.println(o.toString());
      return 0;
    }
    print(out, o.path("findings"));
    return 0;
  }

  private String path() {
    if (id == null) {
      return "/v1/findings";
    }
    if (ShowCommand.REQUEST_ID.matcher(id).matches()) {
      return "/v1/requests/" + id + "/findings";
    }
    if (LeaseToken.LEASE_ID.matcher(id).matches()) {
      return "/v1/leases/" + id + "/findings";
    }
    throw new CliException(
        CliException.USAGE, "'" + id + "' is not a request id (req_…) or a lease id (lse_…)");
  }

  private Map<String, String> query() {
    return id == null ? Map.of("since", since == null ? "7d" : since) : Map.of();
  }

  private static void keepIfSince(ArrayNode kept, JsonNode f, Instant from) {
    if (!Instant.parse(f.path("raised_at").asText()).isBefore(from)) {
      kept.add(f);
    }
  }

  private void print(PrintStream out, JsonNode findings) {
    if (findings.isEmpty()) {
      out.println(
          "no findings"
              + (id == null ? "" : " for " + Table.sanitize(id))
              + (id == null || since != null ? " since " + (since == null ? "7d" : since) : ""));
      return;
    }
    Table table =
        new Table("RAISED", "FINDING", "SEVERITY", "RULE", "MODE", "ACTION", "REQUEST", "LEASE");
    for (JsonNode f : findings) {
      table.row(
          f.path("raised_at").asText(),
          f.path("id").asText(),
          f.path("severity").asText(),
          f.path("rule").asText(),
          f.path("mode").asText(),
          f.path("action").asText(),
          f.path("request_id").asText(),
          f.path("lease_id").asText("-"));
    }
    table.print(out);
    out.println();
    for (JsonNode f : findings) {
      out.println(Table.sanitize(f.path("id").asText() + ": " + f.path("why").asText()));
    }
    out.println();
    out.println(next(findings.get(0)));
  }

  /** What to do next about the newest finding: see the calls, end what is still live. */
  private String next(JsonNode newest) {
    String request = Table.sanitize(newest.path("request_id").asText());
    String action = newest.path("action").asText();
    if (action.equals("lease_ended") || action.equals("grant_revoked")) {
      return "next: the finding ended it ("
          + action
          + "); stint show "
          + request
          + " shows the revocation, stint activity "
          + request
          + " every call";
    }
    return "next: stint activity "
        + request
        + " shows every call; stint revoke "
        + request
        + " ends its access"
        + (newest.path("lease_id").isTextual()
            ? ", stint lease revoke "
                + Table.sanitize(newest.path("lease_id").asText())
                + " the lease alone"
            : "");
  }

  private static Instant instant(String text, Instant now) {
    try {
      if (Character.isDigit(text.charAt(0)) && !text.contains("-")) {
        return now.minus(Durations.parse(text));
      }
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (IllegalArgumentException | DateTimeException | StringIndexOutOfBoundsException e) {
      throw new CliException(
          CliException.USAGE,
          "--since takes a duration ago (7d, 12h) or an ISO-8601 time, not '" + text + "'");
    }
  }
}
