package dev.stint.cli.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.CliException;
import dev.stint.common.SecretShapes;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The five tools of {@code stint mcp} as MCP tools: each with a JSON Schema for its input and its
 * structured result, and a description an agent can act on. Every result, and every error, is
 * checked for a secret's shape before it is sent ({@link SecretShapes}): one holding any is
 * withheld, as an error that says so.
 */
final class McpTools {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Object> LEASE_ID =
      Map.of("type", "string", "pattern", "^lse_[a-z2-7]{24}$", "description", "The lease id.");

  /** request_access's input: what it asks for, for how long, and optionally narrower. */
  private static final Map<String, Object> ASK =
      schema(
          Map.of(
              "profile",
              Map.of("type", "string", "description", "A profile list_access names."),
              "task",
              Map.of(
                  "type",
                  "string",
                  "maxLength",
                  500,
                  "description",
                  "What the access is for, in one line a person will read."),
              "duration",
              Map.of(
                  "type",
                  "string",
                  "pattern",
                  "^[0-9]+[smhd]$",
                  "description",
                  "How long, like 30m or 1h; at most the profile's max_duration_seconds."),
              "parameters",
              Map.of(
                  "type",
                  "object",
                  "additionalProperties",
                  Map.of("type", "string"),
                  "description",
                  "Values for the profile's parameters, narrower than your person's grant."),
              "session_policy",
              Map.of(
                  "type",
                  "array",
                  "items",
                  Map.of("type", "object"),
                  "description",
                  "AWS IAM statements narrower than the grant's, if the task needs less.")),
          List.of("profile", "task", "duration"));

  private McpTools() {}

  static List<SyncToolSpecification> all(AgentTools tools) {
    return List.of(
        tool(
            "list_access",
            "See what access you may ask for",
            "Lists the cloud access profiles your person enrolled you for (each with its longest"
                + " lease and its parameters) and the leases you asked, with their state. Call it"
                + " first, before request_access. Returns no credentials.",
            schema(Map.of(), List.of()),
            args -> tools.listAccess()),
        tool(
            "request_access",
            "Ask a person for narrow, time-bound cloud access",
            "Asks for a task lease on one profile: short-lived AWS access for this task only."
                + " A person must approve it: the answer is 'pending' with an approval_url to show"
                + " your user; then call access_status in a minute. If your person holds no"
                + " access to the profile yet, a request is filed in their name instead"
                + " (request_id, no lease_id): once approved, call request_access again. Ask only for what the task"
                + " needs: the approver sees your task and the exact policy. Never put keys or"
                + " tokens in the task.",
            ASK,
            tools::requestAccess),
        tool(
            "access_status",
            "Check a request for access, and get its AWS profile once approved",
            "Tells whether a lease you asked is pending, active, denied or ended. Once active, stint"
                + " has written an AWS profile for it (aws_profile): run your AWS tools with"
                + " AWS_PROFILE set to it. The credentials never appear here.",
            schema(Map.of("lease_id", LEASE_ID), List.of("lease_id")),
            tools::accessStatus),
        tool(
            "lease_activity",
            "See the AWS calls made with a lease",
            "Lists the calls AWS recorded for a lease's credentials (service, action, time, error)."
                + " The cloud reports them minutes late.",
            schema(Map.of("lease_id", LEASE_ID), List.of("lease_id")),
            tools::leaseActivity),
        tool(
            "end_access",
            "End a lease now",
            "Ends a lease you asked, at once: its AWS sessions are denied. Call it as soon as the"
                + " task is done.",
            schema(Map.of("lease_id", LEASE_ID), List.of("lease_id")),
            tools::endAccess));
  }

  private static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
    return Map.of(
        "type",
        "object",
        "properties",
        properties,
        "required",
        required,
        "additionalProperties",
        false);
  }

  private static SyncToolSpecification tool(
      String name,
      String title,
      String description,
      Map<String, Object> input,
      Function<Map<String, Object>, Map<String, Object>> call) {
    McpSchema.Tool tool =
        McpSchema.Tool.builder()
            .name(name)
            .title(title)
            .description(description)
            .inputSchema(input)
            .outputSchema(Map.of("type", "object"))
            .build();
    return SyncToolSpecification.builder()
        .tool(tool)
        .callHandler((exchange, request) -> result(call, request.arguments()))
        .build();
  }

  /** The tool's answer, or its refusal; either withheld when it holds a secret's shape. */
  static McpSchema.CallToolResult result(
      Function<Map<String, Object>, Map<String, Object>> call, Map<String, Object> args) {
    try {
      Map<String, Object> out = call.apply(args == null ? Map.of() : args);
      String text = JSON.writeValueAsString(out);
      if (SecretShapes.problem(text).isPresent()) {
        return error("the answer was withheld: it held a secret's shape");
      }
      return McpSchema.CallToolResult.builder()
          .structuredContent(out)
          .addTextContent(text)
          .isError(false)
          .build();
    } catch (CliException e) {
      return error(Optional.ofNullable(e.getMessage()).orElse("refused"));
    } catch (JsonProcessingException e) {
      return error("the answer could not be written");
    }
  }

  private static McpSchema.CallToolResult error(String message) {
    String said =
        SecretShapes.problem(message).isPresent() ? "refused (the reason held a secret)" : message;
    return McpSchema.CallToolResult.builder().addTextContent(said).isError(true).build();
  }
}
