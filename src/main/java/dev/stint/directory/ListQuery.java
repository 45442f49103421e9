package dev.stint.directory;

import java.util.Optional;

/**
 * A list call's query parameters as sent: {@code filter}, {@code startIndex} (1-based; below 1
 * reads as 1), {@code count} (below 0 reads as 0, above {@link #MAX_COUNT} as it), and the {@code
 * attributes} or {@code excludedAttributes} that narrow each resource (a page of groups whose
 * members are not asked for, as Entra ID lists them, does not read them).
 */
public record ListQuery(
    Optional<String> filter,
    Optional<String> startIndex,
    Optional<String> count,
    ScimAttributes attributes) {
  /** The most resources one page holds, as ServiceProviderConfig says. */
  public static final int MAX_COUNT = 200;

  long start() {
    return Math.max(1, number("startIndex", startIndex).orElse(1L));
  }

  int pageSize() {
    return (int) Math.min(MAX_COUNT, Math.max(0, number("count", count).orElse((long) MAX_COUNT)));
  }

  private static Optional<Long> number(String name, Optional<String> value) {
    try {
      return value.map(String::strip).filter(v -> !v.isEmpty()).map(Long::parseLong);
    } catch (NumberFormatException e) {
      throw ScimException.invalidValue("'" + name + "' is a whole number");
    }
  }
}
