package dev.stint.common;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The values a requester gave a narrowed profile's parameters, by name. Holding them proves
 * nothing: {@link DocumentTemplate#fill} checks each against its pattern again before use.
 */
public record ParameterValues(Map<String, String> values) {
  /** No parameters: what a profile without {@code parameters} is filled with. */
  public static final ParameterValues NONE = new ParameterValues(Map.of());

  public ParameterValues {
    Objects.requireNonNull(values, "values");
    // Sorted, so two requests naming the same values in another order are the same.
    values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public static ParameterValues of(Map<String, String> values) {
    return new ParameterValues(values);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }
}
