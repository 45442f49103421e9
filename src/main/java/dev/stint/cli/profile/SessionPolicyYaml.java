package dev.stint.cli.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.stint.cli.CliException;
import java.io.PrintStream;

/**
 * A suggestion's policy as the policy file's {@code session_policy} block, with a comment saying
 * where it goes and what stint proved of it; nothing printed (and a failure) when there is nothing
 * to suggest.
 */
final class SessionPolicyYaml {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

  private SessionPolicyYaml() {}

  static int print(PrintStream out, PrintStream err, JsonNode answer) {
    JsonNode policy = answer.path("suggested_policy");
    if (!policy.isObject()) {
      answer.path("notes").forEach(n -> err.println(n.asText()));
      throw new CliException(CliException.FAILED, "nothing to suggest: no allowed call seen");
    }
    ObjectNode block = JsonNodeFactory.instance.objectNode();
    block.set("session_policy", policy);
    out.println(
        "# profile "
            + oneLine(answer.path("profile").asText())
            + ", from its allowed calls since "
            + oneLine(answer.path("since").asText())
            + "; within today's policy: "
            + (answer.path("contained").asBoolean() ? "proven" : "NOT proven")
            + "; allows every observed call: "
            + (answer.path("covers_observed").asBoolean() ? "proven" : "NOT proven"));
    out.println("# put under the profile's aws: block, replacing its session_policy");
    try {
      out.print(YAML.writeValueAsString(block));
    } catch (JsonProcessingException e) {
      throw new CliException(CliException.FAILED, "the suggestion cannot be written as YAML");
    }
    return 0;
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n#]", " ");
  }
}
