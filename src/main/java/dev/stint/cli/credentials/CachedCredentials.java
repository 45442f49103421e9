package dev.stint.cli.credentials;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.LoginMarker;
import dev.stint.cli.ServerOptions;
import java.io.PrintStream;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fast path of {@code stint credentials PROFILE [--server URL] [--param NAME=VALUE]...}:
 * answered from the cache before picocli, Jackson, the HTTP client or logging are loaded, and only
 * with an entry of the person logged in ({@link LoginMarker}). Anything else (other options, {@code
 * STINT_TOKEN}, a miss, an unreadable cache) returns false and the full command runs.
 */
public final class CachedCredentials {
  private CachedCredentials() {}

  /** Prints the cached answer for these arguments and returns true, or returns false. */
  public static boolean print(String[] args, CliEnvironment env) {
    if (args.length < 2 || !"credentials".equals(args[0])) {
      return false;
    }
    String profile = null;
    String server = null;
    TreeMap<String, String> parameters = new TreeMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if ("--server".equals(arg) && i + 1 < args.length && server == null) {
        server = args[++i];
      } else if (arg.startsWith("--server=") && server == null) {
        server = arg.substring("--server=".length());
      } else if ("--param".equals(arg) && i + 1 < args.length) {
        if (!parameter(args[++i], parameters)) {
          return false;
        }
      } else if (arg.startsWith("--param=")) {
        if (!parameter(arg.substring("--param=".length()), parameters)) {
          return false;
        }
      } else if (arg.startsWith("-") || profile != null) {
        return false;
      } else {
        profile = arg;
      }
    }
    // Whose a token is takes parsing it, which the full command does; a token given here may
    // belong to someone other than the stored login.
    if (profile == null || env.get("STINT_TOKEN").isPresent()) {
      return false;
    }
    Optional<String> owner = LoginMarker.read(env);
    if (owner.isEmpty()) {
      return false;
    }
    // No lambdas or string concatenation on this path: bootstrapping them costs milliseconds.
    String raw = server;
    if (raw == null) {
      raw = env.get("STINT_SERVER").orElse(ServerOptions.DEFAULT_SERVER);
    }
    Optional<String> cached =
        new CredentialCache(env.cacheDir())
            .read(
                ServerOptions.normalize(raw),
                profile,
                parameters,
                owner.get(),
                env.clock().instant());
    if (cached.isEmpty()) {
      return false;
    }
    PrintStream out = env.out();
    out.print(cached.get());
    out.flush();
    return !out.checkError();
  }

  /**
   * Adds one {@code NAME=VALUE} as {@code ParameterOptions} reads it; false for a flag it refuses
   * (no {@code =}, no name, a name given twice), which the full command then reports.
   */
  private static boolean parameter(String flag, TreeMap<String, String> parameters) {
    int eq = flag.indexOf('=');
    return eq > 0 && parameters.put(flag.substring(0, eq), flag.substring(eq + 1)) == null;
  }
}
