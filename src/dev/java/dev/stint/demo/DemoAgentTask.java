package dev.stint.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scripted agent's task, tool by tool, as a coding agent would do it: what it may ask for, the
 * ask, the wait for a person, the AWS profile used by name, the end, and proof that the end holds.
 * Every line it prints says what happened and what the next step needs; none holds a credential.
 */
final class DemoAgentTask {
  /** How often the agent asks again while a person has not decided. */
  private static final Duration POLL = Duration.ofSeconds(2);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the scripted agent asks for, and why. */
  static final String PROFILE = "demo-bucket-read";

  static final String TASK = "list the " + DemoBucket.NAME + " bucket for the weekly report";
  static final String DURATION = "15m";

  private final McpSyncClient client;
  private final DemoAgentAws aws;
  private final PrintStream out;
  private final Duration wait;

  /** The ask's page, where a person decides it and later reads what it did. */
  private String approvalUrl = "";

  DemoAgentTask(McpSyncClient client, DemoAgentAws aws, PrintStream out, Duration wait) {
    this.client = client;
    this.aws = aws;
    this.out = out;
    this.wait = wait;
  }

  int run() throws DemoAgentRefused, InterruptedException {
    listAccess();
    String lease = ask();
    String profile = awaitApproval(lease);
    boolean ended = false;
    try {
      DemoAgentAws.Kept kept = use(lease, profile);
      JsonNode end = call("end_access", Map.of("lease_id", lease));
      ended = true;
      say("end_access " + lease + ": " + end.path("state").asText() + ". " + text(end, "next"));
      return endHolds(profile, kept);
    } finally {
      if (!ended) {
        endAfterFailure(lease);
      }
    }
  }

  /** A task that fails half-way still gives its access back, as a careful agent would. */
  private void endAfterFailure(String lease) {
    try {
      call("end_access", Map.of("lease_id", lease));
      say("ended " + lease + " after the failure above");
    } catch (DemoAgentRefused e) {
      say("could not end " + lease + ": " + e.getMessage());
    }
  }

  /** The task itself: the listing with the profile, the session its AWS tool keeps. */
  private DemoAgentAws.Kept use(String lease, String profile) throws DemoAgentRefused {
    say("aws " + String.join(" ", aws.listArgs(profile)));
    DemoAgentAws.Result listed = aws.list(profile);
    out.print(DemoAgentAws.indented(listed.out()));
    if (!listed.ok()) {
      throw new DemoAgentRefused("the listing failed: " + DemoAgentAws.lastLine(listed.out()));
    }
    DemoAgentAws.Kept kept = aws.keep(profile);
    say("its AWS tool keeps the session it was handed, as a long-running AWS SDK does");
    JsonNode activity = call("lease_activity", Map.of("lease_id", lease));
    say(
        "lease_activity: "
            + activity.path("calls").asLong()
            + " call(s) recorded so far; stint hears of more as the cloud reports them");
    return kept;
  }

  /**
   * After the end: the kept session refused by S3 (the lease's sessions denied in IAM) and the
   * profile refused by stint. 0 when both are; 1 otherwise.
   */
  private int endHolds(String profile, DemoAgentAws.Kept kept) throws InterruptedException {
    say("the same listing with the kept session, until IAM's deny reaches it (seconds):");
    DemoAgentAws.Result refused = aws.untilRefused(kept);
    out.print(DemoAgentAws.indented(DemoAgentAws.lastLine(refused.out())));
    say(
        refused.ok()
            ? "still listed: the deny has not reached IAM"
            : "refused by the S3 stand-in: the lease's sessions are denied in IAM");
    DemoAgentAws.Result minted = aws.list(profile);
    out.print(DemoAgentAws.indented(DemoAgentAws.lastLine(minted.out())));
    say(
        minted.ok()
            ? "the profile still lists: stint minted on an ended lease"
            : "and its profile " + profile + " mints no more: refused by stint");
    say("done. The lease's task, policy, decision and calls: " + approvalUrl);
    return refused.ok() || minted.ok() ? 1 : 0;
  }

  private void listAccess() throws DemoAgentRefused {
    JsonNode listed = call("list_access", Map.of());
    List<String> profiles = new ArrayList<>();
    listed.path("profiles").forEach(p -> profiles.add(p.path("name").asText()));
    say(
        "list_access: agent "
            + listed.path("agent").asText()
            + " of "
            + listed.path("for_person").asText()
            + " may ask for "
            + String.join(", ", profiles));
  }

  /** request_access: the lease's id, pending a person's vote. */
  private String ask() throws DemoAgentRefused {
    Map<String, Object> args =
        Map.of(
            "profile",
            PROFILE,
            "task",
            TASK,
            "duration",
            DURATION,
            "parameters",
            Map.of("bucket", DemoBucket.NAME));
    say(
        "request_access "
            + PROFILE
            + " for \""
            + TASK
            + "\", "
            + DURATION
            + ", bucket="
            + DemoBucket.NAME);
    JsonNode asked = call("request_access", args);
    if (!asked.path("lease_id").isTextual()) {
      throw new DemoAgentRefused(
          "no lease: "
              + text(asked, "next")
              + " ("
              + text(asked, "approval_url")
              + "; step 9 gives alice the grant)");
    }
    String lease = asked.path("lease_id").asText();
    approvalUrl = text(asked, "approval_url");
    say("lease " + lease + " is " + asked.path("state").asText() + ". " + text(asked, "next"));
    say("approve it: Approve on its message in the Slack stand-in, or on " + approvalUrl);
    return lease;
  }

  /** access_status until a person decides: the AWS profile stint wrote for the lease. */
  private String awaitApproval(String lease) throws DemoAgentRefused, InterruptedException {
    say("waiting for a person (access_status every " + POLL.toSeconds() + "s)...");
    Instant until = Instant.now().plus(wait);
    while (true) {
      JsonNode status = call("access_status", Map.of("lease_id", lease));
      String state = status.path("state").asText();
      if ("active".equals(state)) {
        String profile = status.path("aws_profile").asText();
        say("access_status: active. AWS profile " + profile + " (stint wrote it; no key here)");
        return profile;
      }
      if (!"pending".equals(state)) {
        throw new DemoAgentRefused("access_status: " + state + ". " + text(status, "next"));
      }
      if (Instant.now().isAfter(until)) {
        throw new DemoAgentRefused(
            "nobody approved " + lease + " within " + wait.toMinutes() + " min");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** A tool's structured result as JSON, or the refusal it answered. */
  private JsonNode call(String tool, Map<String, Object> args) throws DemoAgentRefused {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, args));
    if (Boolean.TRUE.equals(result.isError())) {
      StringBuilder why = new StringBuilder();
      result.content().stream()
          .filter(c -> c instanceof McpSchema.TextContent)
          .forEach(c -> why.append(((McpSchema.TextContent) c).text()));
      throw new DemoAgentRefused(tool + " refused: " + why);
    }
    return JSON.valueToTree(result.structuredContent());
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).asText();
  }

  private void say(String line) {
    out.println("agent: " + line);
    out.flush();
  }
}
