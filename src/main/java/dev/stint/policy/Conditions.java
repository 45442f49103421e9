package dev.stint.policy;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;

/**
 * The CEL environment of policy conditions: {@code principal} (issuer, issuer_url, subject, email,
 * groups), {@code claims} (the token's claims), {@code request} (profile, duration_seconds, reason,
 * ticket, break_glass) and {@code now} (a timestamp). Conditions must be boolean; anything else is
 * refused when the policy loads.
 */
public final class Conditions {
  private static final int MAX_SOURCE = 4096;
  private final Cel cel =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .setOptions(CelOptions.current().build())
          .addVar("principal", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("claims", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("request", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("now", SimpleType.TIMESTAMP)
          .build();

  /** Compiles, or throws IllegalArgumentException with CEL's own message. */
  public Condition compile(String source) {
    if (source.isBlank()) {
      throw new IllegalArgumentException("empty condition");
    }
    if (source.length() > MAX_SOURCE) {
      throw new IllegalArgumentException("condition longer than " + MAX_SOURCE + " characters");
    }
    try {
      var ast = cel.compile(source).getAst();
      var type = ast.getResultType();
      if (!type.equals(SimpleType.BOOL) && !type.equals(SimpleType.DYN)) {
        throw new IllegalArgumentException("condition must be boolean, is " + type.name());
      }
      return new Condition(source, cel.createProgram(ast));
    } catch (CelValidationException e) {
      throw new IllegalArgumentException("CEL: " + oneLine(e.getMessage()));
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException("CEL: " + oneLine(e.getMessage()));
    }
  }

  private static String oneLine(String m) {
    // CEL appends a source excerpt with a caret on following lines; the first line has it all.
    return m == null ? "invalid" : m.replaceFirst("^ERROR: ", "").lines().findFirst().orElse(m);
  }
}
