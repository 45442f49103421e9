package dev.stint.cli;

import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every command reports failure: one line on stderr ({@code stint: …}) and a non-zero exit.
 * Stack traces only with {@code STINT_DEBUG=1}, and never for expected failures.
 */
public final class Errors implements IExecutionExceptionHandler, IParameterExceptionHandler {
  private final PrintStream err;
  private final boolean debug;

  public Errors(CliEnvironment env) {
    this.err = env.err();
    this.debug = env.get("STINT_DEBUG").isPresent();
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    if (e instanceof CliException cli) {
      err.println("stint: " + cli.getMessage());
      return cli.exitCode();
    }
    err.println(
        "stint: unexpected error: "
            + (e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getMessage().lines().findFirst().orElse("")));
    if (debug) {
      e.printStackTrace(err);
    }
    return CliException.FAILED;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    err.println(
        "stint: "
            + e.getMessage()
            + didYouMean(e)
            + " (see '"
            + e.getCommandLine().getCommandSpec().qualifiedName()
            + " --help')");
    return CliException.USAGE;
  }

  /** For a mistyped command, the commands closest to it: {@code stint whoamii}. */
  private static String didYouMean(ParameterException e) {
    if (!(e instanceof UnmatchedArgumentException unmatched)
        || unmatched.getUnmatched().isEmpty()
        || e.getCommandLine().getSubcommands().isEmpty()) {
      return "";
    }
    String typed = unmatched.getUnmatched().get(0);
    List<String> near =
        Suggestions.closest(typed, List.copyOf(e.getCommandLine().getSubcommands().keySet()));
    near = near.stream().filter(n -> !n.startsWith("__")).toList();
    return near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?";
  }
}
