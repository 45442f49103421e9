package dev.stint.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliException;
import dev.stint.cli.ParameterOptions;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ShellWords;
import dev.stint.common.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stint request PROFILE --duration 2h --reason …}: ask for temporary access. */
@Command(name = "request", description = "Request temporary access to a profile.")
public final class RequestCommand implements Callable<Integer> {
  /** States in which waiting is over. */
  static final Set<String> SETTLED =
      Set.of(
          "approved",
          "scheduled",
          "active",
          "expired",
          "denied",
          "cancelled",
          "timed_out",
          "revoked",
          "mixed");

  private final ApiClients clients;

  @Mixin ServerOptions server;

  @Mixin ParameterOptions parameters = new ParameterOptions();

  @Parameters(
      arity = "0..*",
      paramLabel = "PROFILE",
      description = "The profile to request; several make one bundle (one reason, one approval).")
  List<String> profiles = new ArrayList<>();

  @Option(
      names = "--bundle",
      paramLabel = "NAME",
      description = "Request the policy's bundle NAME (its profiles together) instead.")
  String bundle;

  @Option(
      names = "--duration",
      required = true,
      paramLabel = "DURATION",
      description = "How long, like 30m, 2h or 1h30m (at most the profile's maximum).")
  String duration;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why (the profile may require a ticket pattern).")
  String reason = "";

  @Option(names = "--ticket", paramLabel = "ID", description = "A ticket or incident id.")
  String ticket;

  @Option(
      names = "--starts-at",
      paramLabel = "TIME",
      description = "Schedule the window to start later (ISO-8601 with offset).")
  String startsAt;

  @Option(
      names = "--break-glass",
      description =
          "Emergency self-activation, where the profile allows it; approvers are alerted and the grant is reviewed afterwards.")
  boolean breakGlass;

  @Option(names = "--wait", description = "Wait until the request is decided.")
  boolean await;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      description = "Give up waiting after this (default 30m).")
  String waitTimeout = "30m";

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      hidden = true,
      description = "Polling interval while waiting.")
  String interval = "2s";

  public RequestCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    Map<String, String> values = parameters.values();
    Map<String, Object> body = body(values);
    ApiClient api = clients.open(server);
    JsonNode request = file(api, body);
    if ("pending".equals(request.path("state").asText())) {
      ApproverHint.tell(
          api, clients.env().err(), request.path("id").asText(), clients.env().clock().instant());
    }
    if (await && !SETTLED.contains(request.path("state").asText())) {
      clients
          .env()
          .err()
          .println(
              "waiting for approval of "
                  + request.path("id").asText()
                  + " ("
                  + RequestPrinter.approvals(request)
                  + " approvals)...");
      request = waitForDecision(api, request.path("id").asText());
    }
    RequestPrinter.print(clients.env().out(), server.output(), request);
    String state = request.path("state").asText();
    boolean refused = Set.of("denied", "cancelled", "timed_out", "revoked").contains(state);
    if (!refused && !values.isEmpty() && server.output() == ServerOptions.OutputFormat.TABLE) {
      nextStep(state, values);
    }
    return refused ? CliException.REFUSED : 0;
  }

  /** What is asked for, from the flags; a usage error for flags that ask for nothing coherent. */
  private Map<String, Object> body(Map<String, String> values) {
    if (bundle != null && !profiles.isEmpty() || bundle == null && profiles.isEmpty()) {
      throw new CliException(CliException.USAGE, "name one or more profiles, or --bundle NAME");
    }
    if (!values.isEmpty() && (bundle != null || profiles.size() > 1)) {
      throw new CliException(
          CliException.USAGE,
          "--param narrows one profile: request it on its own (a bundle's values are fixed by"
              + " its policy)");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (bundle != null) {
      body.put("bundle", bundle);
    } else if (profiles.size() > 1) {
      body.put("profiles", profiles);
    } else {
      body.put("profile", profiles.get(0));
    }
    body.put("duration_seconds", parse(duration, "--duration").toSeconds());
    body.put("reason", reason);
    if (ticket != null) {
      body.put("ticket", ticket);
    }
    if (startsAt != null) {
      body.put("starts_at", RequestPrinter.instant(startsAt, "--starts-at").toString());
    }
    body.put("break_glass", breakGlass);
    if (!values.isEmpty()) {
      body.put("parameters", values);
    }
    return body;
  }

  /**
   * The command that gets a narrowed grant's credentials: it must name the same values, which
   * people forget, so it is printed ready to paste.
   */
  private void nextStep(String state, Map<String, String> values) {
    clients.env().out().println();
    clients
        .env()
        .out()
        .println(
            (switch (state) {
                  case "active" -> "Next: ";
                  case "scheduled" -> "Once the grant starts: ";
                  default -> "Once approved: ";
                })
                + "stint credentials "
                + ShellWords.quote(profiles.get(0))
                + ShellWords.paramFlags(values));
  }

  /** Files the request; a refusal of its parameters says where to look them up. */
  private JsonNode file(ApiClient api, Map<String, Object> body) {
    try {
      return api.post("/v1/requests", body).body();
    } catch (CliException e) {
      throw ParameterOptions.explained(e, profiles.isEmpty() ? bundle : profiles.get(0));
    }
  }

  private JsonNode waitForDecision(ApiClient api, String id) {
    Instant deadline = clients.env().clock().instant().plus(parse(waitTimeout, "--wait-timeout"));
    long pause = parse(interval, "--interval").toMillis();
    while (true) {
      JsonNode current = api.get("/v1/requests/" + id, Map.of()).body();
      if (SETTLED.contains(current.path("state").asText())) {
        return current;
      }
      if (!clients.env().clock().instant().isBefore(deadline)) {
        throw new CliException(
            CliException.FAILED,
            "request "
                + id
                + " is still pending after "
                + waitTimeout
                + "; check later with 'stint requests'");
      }
      try {
        clients.env().sleeper().sleep(Duration.ofMillis(pause));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(CliException.FAILED, "interrupted while waiting for " + id);
      }
    }
  }

  static Duration parse(String text, String option) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, option + ": " + e.getMessage());
    }
  }
}
