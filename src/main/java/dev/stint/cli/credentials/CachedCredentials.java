package dev.stint.cli.credentials;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.LoginMarker;
import dev.stint.cli.ServerOptions;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The fast path of {@code stint credentials PROFILE [--server URL]}: answered from the cache before
 * picocli, Jackson, the HTTP client or logging are loaded, and only with an entry of the person
 * logged in ({@link LoginMarker}). Anything else (other options, {@code STINT_TOKEN}, a miss, an
 * unreadable cache) returns false and the full command runs.
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
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if ("--server".equals(arg) && i + 1 < args.length && server == null) {
        server = args[++i];
      } else if (arg.startsWith("--server=") && server == null) {
        server = arg.substring("--server=".length());
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
            .read(ServerOptions.normalize(raw), profile, owner.get(), env.clock().instant());
    if (cached.isEmpty()) {
      return false;
    }
    PrintStream out = env.out();
    out.print(cached.get());
    out.flush();
    return !out.checkError();
  }
}
