package dev.stint.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelLateFunctionBindings;
import dev.cel.runtime.CelRuntime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled CEL condition. Evaluation never throws: a runtime error (a missing claim, a type
 * mismatch) is an {@link Evaluation} that is not true, so every caller fails closed.
 */
public final class Condition {
  private final String source;
  private final CelRuntime.Program program;
  private final FactNeeds needs;

  Condition(String source, CelRuntime.Program program, FactNeeds needs) {
    this.source = source;
    this.program = program;
    this.needs = needs;
  }

  public String source() {
    return source;
  }

  /** The facts this condition reads, to be looked up before it is evaluated. */
  public FactNeeds needs() {
    return needs;
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

  /** Evaluates with no fact looked up: a condition that reads one is false. */
  public Evaluation evaluate(Map<String, Object> variables) {
    return evaluate(variables, FactValues.NONE);
  }

  /** Evaluates with {@code facts}, those looked up for this decision. */
  // CEL marks its function bindings @Immutable for bindings a program keeps; these late bindings
  // are made for one evaluation and dropped after it, over facts gathered once and never changed.
  @SuppressWarnings("Immutable")
  public Evaluation evaluate(Map<String, Object> variables, FactValues facts) {
    try {
      Object result;
      if (needs.none()) {
        result = program.eval(variables);
      } else {
        // A fact that could not be looked up is false, and so is any condition reading it: a
        // negated fact must not turn an outage into a yes.
        // The provider's words stay in the audit event's facts: a refusal may reach the caller.
        if (facts.failure(needs).isPresent()) {
          return Evaluation.failed("a fact it reads could not be looked up");
        }
        Map<String, Object> all = new HashMap<>(variables);
        all.put(Conditions.TICKET, facts.ticket().cel());
        result =
            program.eval(
                name -> Optional.ofNullable(all.get(name)),
                CelLateFunctionBindings.from(
                    CelFunctionBinding.from(
                        Conditions.ONCALL_OVERLOAD, String.class, facts::onCall),
                    CelFunctionBinding.from(
                        Conditions.FACT_OVERLOAD,
                        String.class,
                        name -> facts.fact(FactCall.of(name))),
                    CelFunctionBinding.from(
                        Conditions.FACT_ARGUMENT_OVERLOAD,
                        String.class,
                        String.class,
                        (name, argument) -> facts.fact(FactCall.of(name, argument)))));
      }
      if (result instanceof Boolean b) {
        return Evaluation.of(b);
      }
      return Evaluation.failed("condition returned " + result + ", not a boolean");
    } catch (CelEvaluationException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Evaluation.failed(m.lines().findFirst().orElse(m));
    }
  }

  /** What a condition says before a request, when no fact can be looked up. */
  public enum Ahead {
    /** True whatever the facts turn out to be. */
    TRUE,
    /** False whatever the facts turn out to be (an error, such as a missing claim, included). */
    FALSE,
    /** True or false depending on a fact it reads: only a decision can tell. */
    DEPENDS
  }

  /**
   * Evaluates ahead of any request, with every fact unknown. A fact's call fails with {@link
   * FactUnknown}, and CEL's {@code &&} and {@code ||} let a side that is an error through whenever
   * the other side decides (CEL's logical operators are commutative over errors), so what comes
   * back true or false holds for every value of the facts; an error that a fact caused is {@link
   * Ahead#DEPENDS}. For reports ({@code GET /v1/reports/eligible}), never for a decision.
   */
  public Ahead ahead(Map<String, Object> variables) {
    if (needs.none()) {
      return evaluate(variables).value() ? Ahead.TRUE : Ahead.FALSE;
    }
    try {
      Object result =
          program.eval(
              name -> {
                if (name.equals(Conditions.TICKET)) {
                  throw new FactUnknown();
                }
                return Optional.ofNullable(variables.get(name));
              },
              CelLateFunctionBindings.from(
                  CelFunctionBinding.from(Conditions.ONCALL_OVERLOAD, String.class, s -> unknown()),
                  CelFunctionBinding.from(Conditions.FACT_OVERLOAD, String.class, n -> unknown()),
                  CelFunctionBinding.from(
                      Conditions.FACT_ARGUMENT_OVERLOAD,
                      String.class,
                      String.class,
                      (n, a) -> unknown())));
      return Boolean.TRUE.equals(result) ? Ahead.TRUE : Ahead.FALSE;
    } catch (CelEvaluationException | RuntimeException e) {
      return causedByFact(e) ? Ahead.DEPENDS : Ahead.FALSE;
    }
  }

  private static boolean unknown() {
    throw new FactUnknown();
  }

  private static boolean causedByFact(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FactUnknown) {
        return true;
      }
    }
    return false;
  }

  /** A fact asked for ahead of any request: nobody looked it up, and nobody will. */
  private static final class FactUnknown extends RuntimeException {
    FactUnknown() {
      super("a fact is known only at a decision", null, false, false);
    }
  }

  @Override
  public String toString() {
    return source;
  }
}
