package dev.stint.cli.completion;

import dev.stint.cli.CliEnvironment;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stint completion bash|zsh|fish}: the shell completion script for every command and option,
 * generated from the command tree itself, so it never falls behind. The bash one is picocli's, with
 * a function in front that asks {@code stint __complete} ({@link CompleteCommand}) where a profile
 * name or a request id goes; the zsh script is the bash one run through zsh's bashcompinit, in the
 * form zsh autoloads from its fpath ({@code _stint}); the fish one is {@link FishCompletion}.
 */
@Command(
    name = "completion",
    description = {
      "Print the shell completion script: bash (source it, or install it as"
          + " /usr/share/bash-completion/completions/stint), zsh (install it as _stint in a"
          + " directory on $fpath) or fish (install it as"
          + " ~/.config/fish/completions/stint.fish). Profile names and request ids are"
          + " completed from the server."
    })
public final class CompletionCommand implements Callable<Integer> {
  /** The shells a script is generated for. */
  public enum Shell {
    BASH,
    ZSH,
    FISH
  }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash, zsh or fish.")
  Shell shell;

  private final CliEnvironment env;

  public CompletionCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    env.out().print(script(spec.root().commandLine(), shell));
    env.out().flush();
    return 0;
  }

  /** The script for the whole tree under {@code root}. */
  public static String script(CommandLine root, Shell shell) {
    if (shell == Shell.FISH) {
      return FishCompletion.script(root);
    }
    String bash = AutoComplete.bash("stint", root) + fromServer();
    if (shell == Shell.BASH) {
      return bash;
    }
    // zsh autoloads _stint as the body of a function run at each completion: the first run
    // defines the bash functions and registers them, then answers the completion it was
    // started for; later completions go straight to the registered function.
    return "#compdef stint\n"
        + "autoload -U +X bashcompinit && bashcompinit\n"
        + bash
        + "\n_bash_complete -F _stint_complete \"$@\"\n";
  }

  /**
   * The function registered in front of picocli's: on the commands that take what the server knows
   * it asks {@code stint __complete} with the words typed, and offers what that prints; otherwise,
   * or when it prints nothing, picocli's function completes. Candidates are matched by prefix,
   * never passed through {@code compgen -W}, which would expand them.
   */
  private static String fromServer() {
    return """

        # Profile names and request ids, from the server (a short cache, a short timeout; nothing
        # when it cannot be asked), on the commands that take them; everything else as above.
        function _stint_complete() {
          local cur=${COMP_WORDS[COMP_CWORD]} candidate command="" i
          local -a line candidates
          # Indexed one by one: zsh's bashcompinit runs this too, and reads slices differently.
          for ((i = 1; i <= COMP_CWORD; i++)); do
            line+=("${COMP_WORDS[i]}")
            if [[ -z $command && $i -lt $COMP_CWORD && ${COMP_WORDS[i]} != -* ]]; then
              command=${COMP_WORDS[i]}
            fi
          done
          if [[ $cur != -* && " %s " == *" $command "* ]]; then
            local IFS=$'\n'
            candidates=($("${COMP_WORDS[0]}" __complete -- "${line[@]}" 2>/dev/null))
            COMPREPLY=()
            for candidate in "${candidates[@]}"; do
              [[ $candidate == "$cur"* ]] && COMPREPLY+=("$candidate")
            done
            [[ ${#COMPREPLY[@]} -gt 0 ]] && return 0
          fi
          _complete_stint "$@"
        }
        complete -F _stint_complete -o default stint stint.sh stint.bash
        """
        .formatted(String.join(" ", CompletionPositions.commands()));
  }
}
