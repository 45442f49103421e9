package dev.stint.lease;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.common.ParameterValues;
import dev.stint.error.StintException;
import java.time.Duration;
import java.util.Optional;

/**
 * What a lease's creator asks: the task, how long, and optionally a narrower policy, as the
 * profile's parameters filled with other values or as statements of their own ({@link
 * #statementsOf}). {@link LeaseRules} judges it.
 */
public record LeaseTerms(
    String task,
    Duration duration,
    Optional<ParameterValues> parameters,
    Optional<String> sessionPolicy) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The statements of a session policy given as a JSON array of statements, or as a policy document
   * (its {@code Statement}: an array, or one statement), as a JSON array.
   *
   * @throws StintException if it is neither
   */
  public static String statementsOf(String json) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw StintException.invalid("the lease's session_policy is not JSON");
    }
    if (tree.isObject() && tree.has("Statement")) {
      JsonNode statement = tree.get("Statement");
      tree = statement.isArray() ? statement : JSON.createArrayNode().add(statement);
    }
    if (!tree.isArray()) {
      throw StintException.invalid(
          "a lease's session_policy is a JSON array of statements, or a policy document with a"
              + " Statement");
    }
    return tree.toString();
  }
}
