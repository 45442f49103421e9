package dev.stint.standin;

import java.util.Optional;
import java.util.Set;

/**
 * How a query-protocol service finds the operation a request asks for: {@code Action} and {@code
 * Version} name it, and an operation this version does not have is {@code InvalidAction}, in AWS's
 * words ({@code NO_VERSION_SPECIFIED} when {@code Version} is missing).
 */
final class QueryActions {
  private QueryActions() {}

  static Optional<Refusal> refusal(QueryRequest request, String version, Set<String> actions) {
    String action = request.param("Action");
    if (action == null) {
      return Optional.of(
          Refusal.sender(400, "MissingAction", "The request must contain the parameter Action"));
    }
    String asked = request.param("Version");
    if (!version.equals(asked) || !actions.contains(action)) {
      return Optional.of(
          Refusal.sender(
              400,
              "InvalidAction",
              "Could not find operation "
                  + action
                  + " for version "
                  + (asked == null ? "NO_VERSION_SPECIFIED" : asked)));
    }
    return Optional.empty();
  }
}
