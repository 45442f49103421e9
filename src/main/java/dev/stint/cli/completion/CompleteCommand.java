package dev.stint.cli.completion;

import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.TokenSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stint __complete -- WORD…}: what the completion scripts ask when TAB is pressed where a
 * profile name or a request id goes ({@link CompletionPositions}); prints the candidates the server
 * lists, one a line, from {@link CompletionCache} while they are fresh.
 *
 * <p>A shell waits on this at every TAB, so it never asks anyone anything: the token is one given
 * or a stored login still valid (never refreshed, see the {@link TokenSource} it is built with),
 * the server gets {@link #TIMEOUT} per answer, and any failure at all prints nothing, on stdout or
 * stderr, and exits 0: the shell then completes as if the server did not exist.
 */
@Command(
    name = "__complete",
    hidden = true,
    description = "Print completion candidates for a command line (used by the shell scripts).")
public final class CompleteCommand implements Callable<Integer> {
  /** Long enough for a nearby server over TLS; short enough that a TAB is not a wait. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "WORD",
      description = "The command line after 'stint', the word being completed last.")
  List<String> words;

  private final CliEnvironment env;
  private final TokenSource tokens;

  /** {@code tokens} must not refresh a login or prompt: it runs at every TAB. */
  public CompleteCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    try {
      Optional<CompletionKind> kind = CompletionPositions.at(spec.root().commandLine(), words);
      if (kind.isPresent()) {
        StringBuilder out = new StringBuilder();
        Optional<ServerOptions> options = options();
        if (options.isEmpty()) {
          return 0;
        }
        candidates(kind.get(), options.get()).forEach(c -> out.append(c).append('\n'));
        env.out().print(out);
        env.out().flush();
      }
    } catch (RuntimeException e) {
      // Failure is silence: a completion that cannot be had is no completion, never an error.
    }
    return 0;
  }

  private List<String> candidates(CompletionKind kind, ServerOptions options) {
    String server = options.serverUrl(env).toString();
    CompletionCache cache = new CompletionCache(env);
    // Keyed by whose token it is: after another login, the last person's ids are not offered.
    Optional<Path> file =
        tokens.owner(options).map(owner -> cache.file(server, owner, kind.name()));
    Optional<List<String>> cached = file.flatMap(cache::read);
    if (cached.isPresent()) {
      return cached.get();
    }
    ApiClient api =
        new ApiClient(options.serverUrl(env), tokens.token(options), options.insecure())
            .withTimeout(TIMEOUT);
    List<String> fetched = kind.fetch(api);
    file.ifPresent(f -> cache.write(f, fetched));
    return fetched;
  }

  /**
   * Whom a TAB may ask: the server {@code STINT_SERVER} names, with the token the environment or
   * the stored login gives. Never a {@code --server}, {@code --token-file} or {@code --insecure}
   * typed on the line: it is not yet a command anyone ran (a pasted line can name any address, and
   * the token would go there before Enter), and never the built-in default, a port on this machine
   * that anyone here could listen on.
   */
  private Optional<ServerOptions> options() {
    return env.get("STINT_SERVER")
        .filter(server -> !server.isBlank())
        .map(server -> ServerOptions.of(null, null, false));
  }
}
