package dev.stint.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled CEL condition. Evaluation never throws: a runtime error (a missing claim, a type
 * mismatch) is an {@link Evaluation} that is not true, so every caller fails closed.
 */
public final class Condition {
  private final String source;
  private final CelRuntime.Program program;

  Condition(String source, CelRuntime.Program program) {
    this.source = source;
    this.program = program;
  }

  public String source() {
    return source;
  }

  /** The result of one evaluation: true, false, or an error (which counts as false). */
  public record Evaluation(boolean value, Optional<String> error) {
    static Evaluation of(boolean value) {
      return new Evaluation(value, Optional.empty());
    }

    static Evaluation failed(String error) {
      return new Evaluation(false, Optional.of(error));
    }
  }

  public Evaluation evaluate(Map<String, Object> variables) {
    try {
      Object result = program.eval(variables);
      if (result instanceof Boolean b) {
        return Evaluation.of(b);
      }
      return Evaluation.failed("condition returned " + result + ", not a boolean");
    } catch (CelEvaluationException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Evaluation.failed(m.lines().findFirst().orElse(m));
    }
  }

  @Override
  public String toString() {
    return source;
  }
}
