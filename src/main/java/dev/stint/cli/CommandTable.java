package dev.stint.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The subcommands of {@code stint}, each built only when it runs. picocli reads a command's
 * annotations (and loads the types of its fields) when the command is added to a tree, so a tree of
 * every command costs each run for all of them; a run names one, and gets a tree with only that
 * one. The whole tree is built where it is the answer: the usage, the completion script, and a
 * mistyped command (picocli's "did you mean" looks at every name). {@code stint --help} lists the
 * commands in sections, the daily ones first.
 */
public final class CommandTable {
  /** Where {@code stint --help} lists a command, in this order. */
  public enum Section {
    DAILY("Daily commands"),
    APPROVALS("Requests and approvals"),
    SETUP("Setting up"),
    PIPELINES("Pipelines"),
    POLICY_AND_AUDIT("Policy and audit"),
    OPERATORS("Operating a server");

    final String heading;

    Section(String heading) {
      this.heading = heading;
    }
  }

  /**
   * What answers from the whole tree rather than from one command's: the completion script, and the
   * candidates at a TAB (which command a word belongs to).
   */
  private static final List<String> WHOLE_TREE = List.of("completion", "__complete");

  private record Entry(String name, Section section, Supplier<Object> command) {}

  private final CliEnvironment env;
  private final Supplier<Object> root;
  private final List<Entry> entries = new ArrayList<>();

  public CommandTable(CliEnvironment env, Supplier<Object> root) {
    this.env = env;
    this.root = root;
  }

  /**
   * Adds a command; {@code command} gives a fresh command object or a {@link CommandLine} (for a
   * command with subcommands of its own).
   */
  public CommandTable add(String name, Section section, Supplier<Object> command) {
    if (entry(name).isPresent()) {
      throw new IllegalArgumentException("command '" + name + "' is added twice");
    }
    entries.add(new Entry(name, section, command));
    return this;
  }

  /** The tree that runs {@code args}: the root and, when the first word names one, that command. */
  public CommandLine forArgs(String... args) {
    if (args.length == 0 || WHOLE_TREE.contains(args[0])) {
      return whole();
    }
    if (args[0].equals("--version") || args[0].equals("-V")) {
      return finish(new CommandLine(root.get()));
    }
    Optional<Entry> named = entry(args[0]);
    if (named.isEmpty()) {
      return whole();
    }
    CommandLine tree = new CommandLine(root.get());
    tree.addSubcommand(named.get().name(), named.get().command().get());
    return finish(tree);
  }

  /** Every command, for the usage, the completion script and the tests that walk the tree. */
  public CommandLine whole() {
    CommandLine tree = new CommandLine(root.get());
    for (Entry e : entries) {
      tree.addSubcommand(e.name(), e.command().get());
    }
    // Each section carries its own heading in place of picocli's one "Commands:".
    tree.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, help -> "");
    tree.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, this::sections);
    return finish(tree);
  }

  private Optional<Entry> entry(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  private String sections(Help help) {
    Map<String, Help> all = help.subcommands();
    StringBuilder out = new StringBuilder();
    for (Section section : Section.values()) {
      Map<String, Help> listed = new LinkedHashMap<>();
      for (Entry e : entries) {
        Help listedHelp = all.get(e.name());
        if (e.section() == section
            && listedHelp != null
            && !listedHelp.commandSpec().usageMessage().hidden()) {
          listed.put(e.name(), listedHelp);
        }
      }
      if (!listed.isEmpty()) {
        out.append('\n').append(section.heading).append(":\n").append(help.commandList(listed));
      }
    }
    return out.toString();
  }

  private CommandLine finish(CommandLine tree) {
    withHelp(tree);
    tree.setCaseInsensitiveEnumValuesAllowed(true);
    Errors errors = new Errors(env);
    tree.setExecutionExceptionHandler(errors);
    tree.setParameterExceptionHandler(errors);
    tree.setOut(new PrintWriter(env.out(), true));
    tree.setErr(new PrintWriter(env.err(), true));
    return tree;
  }

  /**
   * Gives every subcommand {@code -h/--help}: picocli's error messages point there ("see 'stint
   * credentials --help'"), and only some commands declared it themselves.
   */
  private static void withHelp(CommandLine command) {
    for (CommandLine sub : command.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      if (spec.findOption("--help") == null) {
        spec.addOption(
            OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .description("Show this help message and exit.")
                .build());
      }
      withHelp(sub);
    }
  }
}
