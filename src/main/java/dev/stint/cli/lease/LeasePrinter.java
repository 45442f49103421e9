package dev.stint.cli.lease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stint.cli.CliException;
import dev.stint.cli.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How leases look on a terminal (a table, or one lease's fields) and to scripts (the server's JSON,
 * unchanged). Everything printed came from the server, so it goes through {@link Table#sanitize}; a
 * lease's JSON never reaches here with its token in it.
 */
final class LeasePrinter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private LeasePrinter() {}

  static void json(PrintStream out, JsonNode node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot print JSON: " + e.getMessage());
    }
  }

  /** One row per lease, newest as the server lists them. */
  static void table(PrintStream out, JsonNode leases) {
    Table table = new Table("LEASE", "STATE", "EXPIRES", "AGENT", "POLICY", "TASK");
    for (JsonNode l : leases) {
      table.row(
          l.path("id").asText(),
          l.path("state").asText(),
          l.path("expires_at").asText(),
          agent(l),
          policy(l),
          l.path("task").asText());
    }
    table.print(out);
  }

  /** One lease, field by field, its own policy in full and the credentials minted on it. */
  static void details(PrintStream out, JsonNode lease) {
    line(out, "lease", lease.path("id").asText());
    line(out, "state", lease.path("state").asText());
    line(out, "task", lease.path("task").asText());
    line(
        out,
        "of",
        lease.path("request_id").asText()
            + " (profile "
            + lease.path("profile").asText()
            + ", grant "
            + lease.path("grant_id").asText()
            + ")");
    line(out, "created", lease.path("created_at").asText());
    line(out, "expires", lease.path("expires_at").asText());
    if (lease.hasNonNull("ended_at")) {
      line(
          out,
          "ended",
          lease.path("ended_at").asText()
              + (lease.path("ended_by").isObject() ? " by " + person(lease.path("ended_by")) : ""));
    }
    line(out, "agent", agent(lease));
    parameters(lease).ifPresent(values -> line(out, "parameters", values));
    line(out, "policy", policy(lease));
    if (lease.path("policy").isArray()) {
      try {
        JSON.writeValueAsString(lease.path("policy"))
            .lines()
            .forEach(l -> out.println("    " + Table.sanitize(l)));
      } catch (IOException e) {
        throw new CliException(CliException.FAILED, "cannot print JSON: " + e.getMessage());
      }
    }
    credentials(out, lease.path("credentials"));
  }

  /**
   * What a lease's credentials may do, in one phrase: the grant's own policy; the narrowed
   * profile's document filled with the lease's values (the server sends that document as the
   * lease's {@code policy} beside its {@code parameters}); or statements of the lease's own. Each
   * with the hash the audit names it by.
   */
  static String policy(JsonNode lease) {
    JsonNode policy = lease.path("policy");
    if (!policy.isArray()) {
      return "the grant's";
    }
    String sha = lease.path("policy_sha256").asText("");
    String hash =
        sha.isEmpty() ? "" : ", sha256 " + sha.substring(0, Math.min(12, sha.length())) + "…";
    return parameters(lease).isPresent()
        ? "the profile's, filled with its parameters" + hash
        : policy.size() + " statement(s) of its own" + hash;
  }

  /** The agent a lease names, or who holds its token. */
  static String agent(JsonNode lease) {
    return lease.path("agent").isObject() ? person(lease.path("agent")) : "token holder";
  }

  /** {@code NAME=VALUE …}, when the lease fixes values of a narrowed profile. */
  static Optional<String> parameters(JsonNode lease) {
    JsonNode values = lease.path("parameters");
    if (!values.isObject() || values.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder joined = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      joined.append(joined.isEmpty() ? "" : " ").append(e.getKey()).append('=');
      joined.append(e.getValue().asText());
    }
    return Optional.of(joined.toString());
  }

  /** The events of a lease's activity, each with whatever fields the server gave it. */
  static void activity(PrintStream out, JsonNode activity) {
    line(out, "lease", activity.path("lease_id").asText());
    line(out, "state", activity.path("state").asText());
    JsonNode says = activity.path("visibility").path("says");
    if (says.isTextual()) {
      line(out, "visible", says.asText());
    }
    JsonNode events = activity.path("events");
    if (events.isEmpty()) {
      out.println(
          activity.path("summary").path("unused").asBoolean()
              ? "not used: no call seen, and every call its credentials could make would be"
              : "no call seen for this lease yet");
    }
    for (JsonNode event : events) {
      StringBuilder text = new StringBuilder();
      text.append(event.path("time").asText())
          .append("  ")
          .append(event.path("event_source").asText())
          .append(' ')
          .append(event.path("event_name").asText());
      for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!List.of("time", "event_source", "event_name").contains(e.getKey())
            && !e.getValue().isNull()) {
          JsonNode v = e.getValue();
          text.append("  ").append(e.getKey()).append('=');
          text.append(v.isValueNode() ? v.asText() : v.toString());
        }
      }
      out.println(Table.sanitize(text.toString()));
    }
    if (!activity.path("settled").asBoolean(false)) {
      out.println("(not settled: the cloud's logs may still deliver calls; run this again later)");
    }
  }

  private static void credentials(PrintStream out, JsonNode credentials) {
    if (!credentials.isArray()) {
      return;
    }
    out.println();
    if (credentials.isEmpty()) {
      out.println("no credentials minted on this lease");
      return;
    }
    Table table = new Table("CREDENTIAL", "ISSUED", "EXPIRES", "STATE");
    for (JsonNode c : credentials) {
      table.row(
          c.path("id").asText(),
          c.path("issued_at").asText(),
          c.path("expires_at").asText(),
          c.path("state").asText());
    }
    table.print(out);
  }

  private static void line(PrintStream out, String name, String value) {
    out.println(name + ":" + " ".repeat(Math.max(1, 12 - name.length())) + Table.sanitize(value));
  }

  private static String person(JsonNode p) {
    String email = p.path("email").asText("");
    return email.isEmpty()
        ? p.path("subject").asText() + " (" + p.path("issuer").asText() + ")"
        : email;
  }
}
