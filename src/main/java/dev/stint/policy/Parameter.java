package dev.stint.policy;

import dev.stint.common.DocumentTemplate;
import dev.stint.identity.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A narrowed profile's parameter: what a requester fills in ({@code ${NAME}} in the profile's
 * session policy or access boundary), the pattern its value must match in full, and, with {@code
 * values}, the values a person may choose from.
 */
public record Parameter(
    String name, SafePattern pattern, String description, Optional<AllowedValues> values) {

  /**
   * The values {@code p} may choose, each also matching the pattern; without {@code values}, empty
   * with no error (any value the pattern matches).
   */
  public AllowedValues.Result allowedFor(Principal p, Instant now) {
    if (values.isEmpty()) {
      return new AllowedValues.Result(List.of(), Optional.empty());
    }
    AllowedValues.Result result = values.get().evaluate(ConditionVariables.of(p, Map.of(), now));
    List<String> matching = result.values().stream().filter(pattern::matches).toList();
    return new AllowedValues.Result(matching, result.error());
  }

  /**
   * Whether {@code value} may fill this parameter: what no value may hold refused ({@link
   * DocumentTemplate#valueRefusal}), the pattern matched in full, and one of {@code allowed} when
   * the parameter lists values.
   */
  public boolean accepts(String value, AllowedValues.Result allowed) {
    if (DocumentTemplate.valueRefusal(value).isPresent() || !pattern.matches(value)) {
      return false;
    }
    return values.isEmpty() || (allowed.error().isEmpty() && allowed.values().contains(value));
  }
}
