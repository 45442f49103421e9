package dev.stint.cli.completion;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Which word of which command takes what the server knows: the table below, read against the
 * command tree itself (which options take a value, which positional a word is), so the shell
 * scripts need no copy of either. {@code exchange} is not in it: it takes the profiles of CI rules,
 * which {@code GET /v1/profiles} (a person's) does not list.
 */
final class CompletionPositions {
  /** A command's positional parameters, wherever they fall. */
  private static final Map<String, CompletionKind> POSITIONAL =
      Map.ofEntries(
          Map.entry("credentials", CompletionKind.PROFILES),
          Map.entry("env", CompletionKind.PROFILES),
          Map.entry("request", CompletionKind.PROFILES),
          Map.entry("console", CompletionKind.AWS_PROFILES),
          Map.entry("approve", CompletionKind.TO_DECIDE),
          Map.entry("deny", CompletionKind.TO_DECIDE),
          Map.entry("cancel", CompletionKind.YOUR_PENDING),
          Map.entry("revoke", CompletionKind.GRANTS),
          Map.entry("review", CompletionKind.TO_REVIEW),
          Map.entry("show", CompletionKind.ANY_REQUEST),
          Map.entry("activity", CompletionKind.ANY_REQUEST),
          Map.entry("findings", CompletionKind.ANY_REQUEST),
          Map.entry("extend", CompletionKind.YOUR_ACTIVE),
          Map.entry("lease create", CompletionKind.YOUR_ACTIVE),
          Map.entry("lease list", CompletionKind.ANY_REQUEST),
          Map.entry("access-review show", CompletionKind.ANY_REVIEW),
          Map.entry("access-review decide", CompletionKind.OPEN_REVIEWS));

  /** An option's value: the command and the option's longest name. */
  private static final Map<String, CompletionKind> OPTION_VALUE =
      Map.of("requests --profile", CompletionKind.PROFILES);

  private CompletionPositions() {}

  /** The commands with an entry, sorted: only on these do the shell scripts ask the server. */
  static List<String> commands() {
    TreeSet<String> names = new TreeSet<>();
    // The first word: the scripts see the command, and ask on any of its subcommands.
    POSITIONAL.keySet().forEach(key -> names.add(key.split(" ")[0]));
    OPTION_VALUE.keySet().forEach(key -> names.add(key.substring(0, key.indexOf(' '))));
    return List.copyOf(names);
  }

  /**
   * What the last of {@code words} (the command line after {@code stint}, the word being completed
   * last) takes; empty when it is an option, a word the server knows nothing of, or beyond the
   * positionals the command has.
   */
  static Optional<CompletionKind> at(CommandLine root, List<String> words) {
    if (words.isEmpty()) {
      return Optional.empty();
    }
    CommandLine command = root;
    OptionSpec awaitingValue = null;
    int positional = 0;
    for (String word : words.subList(0, words.size() - 1)) {
      if (awaitingValue != null) {
        awaitingValue = null;
        continue;
      }
      CommandLine sub = command.getSubcommands().get(word);
      if (sub != null && positional == 0) {
        command = sub;
        continue;
      }
      OptionSpec option = command.getCommandSpec().findOption(word);
      if (option != null) {
        awaitingValue = option.arity().min() > 0 ? option : null;
      } else if (!word.startsWith("-")) {
        positional++;
      }
    }
    String name = name(command.getCommandSpec());
    if (awaitingValue != null) {
      return Optional.ofNullable(OPTION_VALUE.get(name + " " + awaitingValue.longestName()));
    }
    String current = words.get(words.size() - 1);
    int index = positional;
    boolean hasPositional =
        command.getCommandSpec().positionalParameters().stream()
            .anyMatch(p -> p.index().contains(index));
    return current.startsWith("-") || !hasPositional
        ? Optional.empty()
        : Optional.ofNullable(POSITIONAL.get(name));
  }

  /** The command's name below the root ({@code setup aws}). */
  private static String name(CommandSpec spec) {
    String qualified = spec.qualifiedName(" ");
    String root = spec.root().name();
    return qualified.equals(root) ? "" : qualified.substring(root.length() + 1);
  }
}
