package dev.stint.cli.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.Terminal;
import dev.stint.cli.access.ApproverHint;
import dev.stint.common.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code stint credentials} without an active grant, with a person at the terminal: offers to
 * request access, asks the reason and duration, names who can approve, and waits on one status line
 * until the request is decided. Approved: the caller fetches the credential. Denied, cancelled,
 * timed out or still waiting at the deadline: a clear error, exit code 3.
 */
final class RequestOnMiss {
  static final Duration DEFAULT_DURATION = Duration.ofHours(1);
  private static final Set<String> GRANTED = Set.of("approved", "active");
  private static final Set<String> ENDED =
      Set.of("denied", "cancelled", "timed_out", "revoked", "expired");

  private final CliEnvironment env;
  private final Terminal tty;
  private final ApiClient api;
  private final Duration waitFor;
  private final Duration every;

  RequestOnMiss(CliEnvironment env, Terminal tty, ApiClient api, Duration waitFor, Duration every) {
    this.env = env;
    this.tty = tty;
    this.api = api;
    this.waitFor = waitFor;
    this.every = every;
  }

  /**
   * Runs the exchange; returns normally once a grant for {@code profile} with these parameter
   * values is usable.
   */
  void run(String profile, Map<String, String> parameters) {
    JsonNode about = profileInfo(profile);
    tty.say("stint: you hold no active grant for " + profile + ".");
    String yes = tty.ask("Request access now? [Y/n] ");
    if (!yes.isEmpty() && !yes.toLowerCase(Locale.ROOT).startsWith("y")) {
      throw new CliException(
          CliException.REFUSED, "no active grant for " + profile + "; not requested");
    }
    String reason =
        tty.ask(
            "Reason"
                + (about.path("reason_required").asBoolean(false) ? "" : " (optional)")
                + ": ");
    Duration max =
        Duration.ofSeconds(about.path("max_duration_seconds").asLong(DEFAULT_DURATION.toSeconds()));
    Duration fallback = max.compareTo(DEFAULT_DURATION) < 0 ? max : DEFAULT_DURATION;
    String asked =
        tty.ask(
            "Duration ["
                + Durations.format(fallback)
                + ", at most "
                + Durations.format(max)
                + "]: ");
    Duration duration;
    try {
      duration = asked.isEmpty() ? fallback : Durations.parse(asked);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, "duration: " + e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("profile", profile);
    body.put("duration_seconds", duration.toSeconds());
    body.put("reason", reason);
    if (!parameters.isEmpty()) {
      body.put("parameters", parameters);
    }
    JsonNode request = api.post("/v1/requests", body).body();
    String id = request.path("id").asText();
    tty.say("Requested " + id + ".");
    ApproverHint.line(api, id, env.clock().instant()).ifPresent(tty::say);
    await(id, request);
  }

  private JsonNode profileInfo(String profile) {
    try {
      for (JsonNode p : api.get("/v1/profiles", Map.of()).body().path("profiles")) {
        if (profile.equals(p.path("name").asText())) {
          return p;
        }
      }
    } catch (CliException e) {
      // The request itself will say what is wrong with the profile.
    }
    return MissingNode.getInstance();
  }

  private void await(String id, JsonNode first) {
    Instant start = env.clock().instant();
    Instant deadline = start.plus(waitFor);
    JsonNode current = first;
    while (true) {
      String state = current.path("state").asText();
      if (GRANTED.contains(state)) {
        tty.status("Approved: " + id + ".");
        tty.say("");
        return;
      }
      if (ENDED.contains(state) || "scheduled".equals(state)) {
        tty.say("");
        throw new CliException(
            CliException.REFUSED,
            "request "
                + id
                + " is "
                + state
                + ("scheduled".equals(state) ? "; its grant starts later" : "")
                + decider(current));
      }
      Instant now = env.clock().instant();
      if (!now.isBefore(deadline)) {
        tty.say("");
        throw new CliException(
            CliException.REFUSED,
            "request "
                + id
                + " is still pending after "
                + Durations.format(waitFor)
                + "; it stays open: 'stint requests' shows it");
      }
      tty.status(
          "Waiting for approval of "
              + id
              + ": "
              + current.path("approvals").size()
              + "/"
              + current.path("approvals_required").asInt()
              + " approvals, "
              + Durations.format(Duration.ofSeconds(Duration.between(start, now).toSeconds()))
              + " so far (Ctrl-C stops waiting; the request stays)");
      try {
        env.sleeper().sleep(every);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(CliException.FAILED, "interrupted while waiting for " + id);
      }
      current = api.get("/v1/requests/" + id, Map.of()).body();
    }
  }

  /** Who decided, for a denial: the last vote's approver and comment. */
  private static String decider(JsonNode request) {
    JsonNode votes = request.path("approvals");
    if (votes.isEmpty()) {
      return "";
    }
    JsonNode last = votes.get(votes.size() - 1);
    String who =
        last.path("approver").path("email").asText(last.path("approver").path("subject").asText());
    return " ("
        + last.path("decision").asText()
        + " by "
        + who
        + (last.hasNonNull("comment") ? ": " + last.path("comment").asText() : "")
        + ")";
  }
}
