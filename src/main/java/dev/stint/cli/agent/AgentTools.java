package dev.stint.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliException;
import dev.stint.cli.lease.LeaseToken;
import dev.stint.common.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the five tools of {@code stint mcp} do, each over the agent's own routes with its token
 * alone: {@code list_access}, {@code request_access}, {@code access_status} (which writes the AWS
 * profile of an active lease and names it), {@code lease_activity}, {@code end_access}. Each answer
 * is built here field by field from the server's, so nothing the server sends that the tool does
 * not name reaches the conversation (an access key id in a call, say); {@link McpTools} then
 * refuses any answer holding a secret's shape.
 */
final class AgentTools {
  /** Where an active lease's AWS profile is written: a port so that tests can watch it. */
  @FunctionalInterface
  interface Profiles {
    String write(String leaseId);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiClient api;
  private final Profiles profiles;

  AgentTools(ApiClient api, Profiles profiles) {
    this.api = api;
    this.profiles = profiles;
  }

  Map<String, Object> listAccess() {
    JsonNode self = api.get("/v1/agent", Map.of()).body();
    JsonNode asked = api.get("/v1/agent/leases", Map.of()).body();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", self.path("name").asText());
    out.put("for_person", self.path("owner").asText());
    out.put("enrollment_expires_at", self.path("expires_at").asText());
    out.put("profiles", JSON.convertValue(self.path("profiles"), List.class));
    List<Map<String, Object>> leases = new ArrayList<>();
    asked.path("leases").forEach(l -> leases.add(lease(l)));
    out.put("leases", leases);
    out.put(
        "next",
        "To get access, call request_access with one of these profiles, the task in one line, and"
            + " a duration no longer than its max_duration_seconds.");
    return out;
  }

  Map<String, Object> requestAccess(Map<String, Object> args) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("profile", string(args, "profile"));
    body.put("task", string(args, "task"));
    body.put("duration_seconds", duration(string(args, "duration")).toSeconds());
    Optional.ofNullable(args.get("parameters")).ifPresent(p -> body.put("parameters", p));
    Optional.ofNullable(args.get("session_policy")).ifPresent(p -> body.put("session_policy", p));
    JsonNode lease = api.post("/v1/agent/leases", body).body();
    Map<String, Object> out = new LinkedHashMap<>();
    if (lease.path("request_id").isTextual() && !lease.path("lease_id").isTextual()) {
      out.put("request_id", lease.path("request_id").asText());
      out.put("state", lease.path("state").asText());
      out.put("approval_url", lease.path("approval_url").asText());
      out.put(
          "next",
          "Your person holds no access to this profile yet, so stint asked for it in their name:"
              + " the profile's approvers must approve that request (approval_url). Tell your user;"
              + " once it is approved, call request_access again for your lease.");
      return out;
    }
    out.put("lease_id", lease.path("lease_id").asText());
    out.put("state", lease.path("state").asText());
    out.put("approval_url", lease.path("approval_url").asText());
    out.put("expires_at", lease.path("expires_at").asText());
    out.put("next", next(lease.path("state").asText(), Optional.empty()));
    return out;
  }

  Map<String, Object> accessStatus(Map<String, Object> args) {
    String id = leaseId(args);
    JsonNode lease = api.get("/v1/agent/leases/" + id, Map.of()).body();
    String state = lease.path("state").asText();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("lease_id", id);
    out.put("state", state);
    out.put("expires_at", lease.path("expires_at").asText());
    Optional<String> profile = Optional.empty();
    if ("active".equals(state)) {
      profile = Optional.of(profiles.write(id));
      out.put("aws_profile", profile.get());
    }
    out.put("next", next(state, profile));
    return out;
  }

  Map<String, Object> leaseActivity(Map<String, Object> args) {
    String id = leaseId(args);
    JsonNode view = api.get("/v1/agent/leases/" + id + "/activity", Map.of()).body();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("lease_id", id);
    out.put("state", view.path("state").asText());
    out.put("calls", view.path("summary").path("calls").asLong());
    out.put("errors", view.path("summary").path("errors").asLong());
    List<Map<String, Object>> events = new ArrayList<>();
    for (JsonNode e : view.path("events")) {
      Map<String, Object> call = new LinkedHashMap<>();
      call.put("time", e.path("time").asText());
      call.put("event_source", e.path("event_source").asText());
      call.put("event_name", e.path("event_name").asText());
      call.put("aws_region", e.path("aws_region").asText());
      call.put("error_code", e.path("error_code").isTextual() ? e.path("error_code").asText() : "");
      events.add(call);
    }
    out.put("events", events);
    out.put(
        "next",
        "Calls reach stint as the cloud reports them, often minutes late; call again later for"
            + " more.");
    return out;
  }

  Map<String, Object> endAccess(Map<String, Object> args) {
    String id = leaseId(args);
    JsonNode lease = api.post("/v1/agent/leases/" + id + "/end", Map.of()).body();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("lease_id", id);
    out.put("state", lease.path("state").asText());
    out.put(
        "next",
        "Ended: its AWS sessions are denied and its profile mints nothing more. Ask again with"
            + " request_access if the task needs access later.");
    return out;
  }

  private static Map<String, Object> lease(JsonNode l) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("lease_id", l.path("lease_id").asText());
    out.put("profile", l.path("profile").asText());
    out.put("task", l.path("task").asText());
    out.put("state", l.path("state").asText());
    out.put("expires_at", l.path("expires_at").asText());
    return out;
  }

  /** What the agent should do next, for a lease in {@code state}. */
  static String next(String state, Optional<String> profile) {
    return switch (state) {
      case "pending" ->
          "Pending: a person must approve it (your person, in Slack or at approval_url); tell your"
              + " user, then call access_status in a minute.";
      case "active" ->
          "Active: run your AWS tools with AWS_PROFILE="
              + profile.orElse("(call access_status)")
              + " (or --profile); never ask for keys. Call end_access when the task is done.";
      case "denied" ->
          "Denied by a person: do not ask again for the same access without telling your user.";
      default ->
          "It mints nothing now ("
              + state
              + "); call request_access again if the task still needs access.";
    };
  }

  private static String leaseId(Map<String, Object> args) {
    String id = string(args, "lease_id");
    if (!LeaseToken.LEASE_ID.matcher(id).matches()) {
      throw new CliException(CliException.USAGE, "lease_id is a lease id (lse_…)");
    }
    return id;
  }

  private static String string(Map<String, Object> args, String name) {
    Object value = args == null ? null : args.get(name);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new CliException(CliException.USAGE, "'" + name + "' is required, as a string");
    }
    return s;
  }

  private static Duration duration(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, "'duration' is like 30m or 2h: " + e.getMessage());
    }
  }
}
