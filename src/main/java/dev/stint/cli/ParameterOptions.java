package dev.stint.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * {@code --param NAME=VALUE}, repeatable: the values a narrowed profile's parameters are given,
 * sent as {@code parameters: {NAME: VALUE}}. Only the flag's shape is checked here; whether a value
 * is one the profile takes is the server's to say (it answers 400 naming the parameter), so a
 * pattern is never judged twice, nor differently, on a laptop.
 */
public final class ParameterOptions {
  @Option(
      names = "--param",
      paramLabel = "NAME=VALUE",
      description =
          "A value for the narrowed profile's parameter NAME (repeat for each; 'stint profiles'"
              + " lists them). The server checks each value.")
  List<String> given = new ArrayList<>();

  /** Flags as given, for commands built without picocli. */
  public static ParameterOptions of(List<String> given) {
    ParameterOptions options = new ParameterOptions();
    options.given = new ArrayList<>(given);
    return options;
  }

  /**
   * The values by name, sorted (the order flags were given in does not make another request).
   *
   * @throws CliException {@link CliException#USAGE} for a flag without {@code =}, with an empty
   *     name, or naming a parameter twice, before anything is sent
   */
  public SortedMap<String, String> values() {
    SortedMap<String, String> values = new TreeMap<>();
    for (String flag : given) {
      int eq = flag.indexOf('=');
      if (eq < 0) {
        throw new CliException(
            CliException.USAGE,
            "--param takes NAME=VALUE, like --param bucket=team-logs; '"
                + Table.sanitize(name(flag))
                + "' has no '='");
      }
      if (eq == 0) {
        throw new CliException(
            CliException.USAGE, "--param takes NAME=VALUE; one flag names no parameter");
      }
      String name = flag.substring(0, eq);
      if (values.put(name, flag.substring(eq + 1)) != null) {
        throw new CliException(
            CliException.USAGE,
            "--param " + Table.sanitize(name(name)) + " is given twice; give each parameter once");
      }
    }
    return Collections.unmodifiableSortedMap(values);
  }

  /**
   * A refusal of the server's, with the step that follows when it is about parameters: the detail
   * (which names the parameter and never its value) is kept as the server wrote it.
   */
  public static CliException explained(CliException refused, String profile) {
    boolean aboutParameters =
        refused.serverCode().filter("invalid_request"::equals).isPresent()
            && refused.getMessage().contains("parameter");
    if (!aboutParameters) {
      return refused;
    }
    return new CliException(
        refused.exitCode(),
        refused.getMessage()
            + System.lineSeparator()
            + "  'stint profiles' lists what "
            + Table.sanitize(profile)
            + " takes; give each with --param NAME=VALUE",
        refused.serverCode().orElse(null));
  }

  /** At most the start of what was typed: a mistaken flag may hold a long value. */
  private static String name(String typed) {
    return typed.length() > 40 ? typed.substring(0, 40) + "…" : typed;
  }
}
