package dev.stint.cli.completion;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The fish completion script, written from the command tree as picocli writes the bash one: each
 * command's subcommands and options with the first sentence of their description, files only where
 * a file goes. Where a profile name or a request id may go, fish asks {@code stint __complete}.
 */
final class FishCompletion {
  private static final String HEADER =
      """
      # fish completion for stint (stint completion fish); install it as
      # ~/.config/fish/completions/stint.fish
      complete -c stint -e
      # Nothing but what is listed below: no file names where a command takes none.
      complete -c stint -f

      # Profile names and request ids, from the server (a short cache, a short timeout; nothing
      # when it cannot be asked): the command line after `stint`, the current word last.
      function __stint_from_server
          set -l words (commandline -opc) (commandline -ct)
          $words[1] __complete -- $words[2..-1] 2>/dev/null
      end

      """;

  private final StringBuilder out = new StringBuilder(HEADER);

  private FishCompletion() {}

  static String script(CommandLine root) {
    FishCompletion fish = new FishCompletion();
    fish.command(root, List.of());
    fish.out
        .append("complete -c stint -n '__fish_seen_subcommand_from ")
        .append(String.join(" ", CompletionPositions.commands()))
        .append(
            "; and not string match -q -- \"-*\" (commandline -ct)' -a '(__stint_from_server)'\n");
    return fish.out.toString();
  }

  /** One command at {@code path} (empty for the root), then its subcommands. */
  private void command(CommandLine command, List<String> path) {
    CommandSpec spec = command.getCommandSpec();
    List<String> children = new ArrayList<>();
    for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
      if (!sub.getValue().getCommandSpec().usageMessage().hidden()) {
        children.add(sub.getKey());
      }
    }
    String here = condition(path, children);
    for (String child : children) {
      CommandSpec sub = command.getSubcommands().get(child).getCommandSpec();
      line(here, "-a " + quote(child), sub.usageMessage().description());
    }
    for (OptionSpec option : spec.options()) {
      if (!option.hidden()) {
        line(here, option(option), option.description());
      }
    }
    if (spec.positionalParameters().stream().anyMatch(FishCompletion::takesFile)) {
      line(here, "-F", new String[0]);
    }
    for (String child : children) {
      List<String> below = new ArrayList<>(path);
      below.add(child);
      command(command.getSubcommands().get(child), below);
    }
  }

  /** True in fish when the line is at this command: its path typed, none of its subcommands. */
  private static String condition(List<String> path, List<String> children) {
    if (path.isEmpty()) {
      return "__fish_use_subcommand";
    }
    List<String> tests = new ArrayList<>();
    path.forEach(p -> tests.add("__fish_seen_subcommand_from " + p));
    if (!children.isEmpty()) {
      tests.add("not __fish_seen_subcommand_from " + String.join(" ", children));
    }
    return String.join("; and ", tests);
  }

  private static String option(OptionSpec option) {
    StringBuilder names = new StringBuilder();
    for (String name : option.names()) {
      names.append(name.startsWith("--") ? " -l " + name.substring(2) : " -s " + name.substring(1));
    }
    if (option.arity().min() == 0) {
      return names.substring(1);
    }
    if (takesFile(option)) {
      return names.substring(1) + " -r -F";
    }
    List<String> values = new ArrayList<>();
    Iterable<String> candidates = option.completionCandidates();
    if (candidates != null) {
      candidates.forEach(v -> values.add(v.toLowerCase(Locale.ROOT)));
    }
    return names.substring(1)
        + " -x"
        + (values.isEmpty() ? "" : " -a " + quote(String.join(" ", values)));
  }

  private static boolean takesFile(ArgSpec arg) {
    return arg.type() == Path.class || arg.type() == File.class;
  }

  private void line(String condition, String what, String[] description) {
    out.append("complete -c stint -n ").append(quote(condition)).append(' ').append(what);
    String first = description.length == 0 ? "" : firstSentence(description[0]);
    if (!first.isEmpty()) {
      out.append(" -d ").append(quote(first));
    }
    out.append('\n');
  }

  private static String firstSentence(String text) {
    int end = text.indexOf(". ");
    String sentence = end < 0 ? text : text.substring(0, end);
    return sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
  }

  /** A single-quoted fish word: only backslash and the quote itself are special inside. */
  private static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
