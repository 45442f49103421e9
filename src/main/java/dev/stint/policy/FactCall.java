package dev.stint.policy;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code fact("NAME")} or {@code fact("NAME", "ARGUMENT")} a condition reads: the provider's
 * name (as the server configuration names it, {@code facts.http.NAME}) and the argument, both
 * literal strings in the condition, so every fact a policy reads is known when it loads.
 */
public record FactCall(String name, Optional<String> argument) implements Comparable<FactCall> {
  /** A provider's name: also part of its environment variables, so no dots or dashes. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  /** Longest argument: it travels in every lookup's body and in every decision's audit event. */
  public static final int MAX_ARGUMENT = 256;

  private static final Comparator<FactCall> ORDER =
      Comparator.comparing(FactCall::name)
          .thenComparing(c -> c.argument().orElse(""))
          .thenComparing(c -> c.argument().isPresent());

  public FactCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(argument, "argument");
  }

  public static FactCall of(String name) {
    return new FactCall(name, Optional.empty());
  }

  public static FactCall of(String name, String argument) {
    return new FactCall(name, Optional.of(argument));
  }

  /** As conditions and events name it: {@code fact(change_open)}, {@code fact(team, payments)}. */
  @Override
  public String toString() {
    return "fact(" + name + argument.map(a -> ", " + a).orElse("") + ")";
  }

  @Override
  public int compareTo(FactCall other) {
    return ORDER.compare(this, other);
  }
}
