package dev.stint.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parameter's {@code values}: a CEL expression over {@code principal} (and {@code claims}, {@code
 * now}) giving the values a person may choose, such as the buckets their team owns. Like a
 * condition, evaluating it never throws: an error is a {@link Result} without values, so a caller
 * fails closed.
 */
public final class AllowedValues {
  private final String source;
  private final CelRuntime.Program program;

  AllowedValues(String source, CelRuntime.Program program) {
    this.source = source;
    this.program = program;
  }

  public String source() {
    return source;
  }

  /** The values, or why there are none to choose from. */
  public record Result(List<String> values, Optional<String> error) {
    public Result {
      values = List.copyOf(values);
    }

    static Result failed(String error) {
      return new Result(List.of(), Optional.of(error));
    }
  }

  /** Evaluates over the CEL variables of a person ({@link ConditionVariables}). */
  Result evaluate(Map<String, Object> variables) {
    Object result;
    try {
      result = program.eval(variables);
    } catch (CelEvaluationException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Result.failed(m.lines().findFirst().orElse(m));
    }
    if (!(result instanceof List<?> list)) {
      return Result.failed("values returned " + result + ", not a list");
    }
    List<String> values = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof String s)) {
        return Result.failed("values returned " + item + ", not a string");
      }
      values.add(s);
    }
    return new Result(values, Optional.empty());
  }

  @Override
  public String toString() {
    return source;
  }
}
