package dev.stint.cli.credentials;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.LoginMarker;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.lease.LeaseToken;
import java.io.PrintStream;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fast path of {@code stint credentials PROFILE [--server URL] [--param NAME=VALUE]...} and of
 * {@code stint credentials [--lease-file FILE] [--server URL]}: answered from the cache before
 * picocli, Jackson, the HTTP client or logging are loaded. A profile's entry is served only to the
 * person logged in ({@link LoginMarker}); a lease's only to the holder of the token it was minted
 * with ({@link LeaseCache}), the token read from a private {@code --lease-file}, else from {@code
 * STINT_LEASE_TOKEN} when no profile is given, as the full command reads it. Anything else (other
 * options, {@code STINT_TOKEN} with a profile, a miss, an unreadable cache or token file) returns
 * false and the full command runs.
 */
public final class CachedCredentials {
  private CachedCredentials() {}

  /** The arguments the fast path takes; any other makes it step aside. */
  private static final class Asked {
    String profile;
    String server;
    String leaseFile;
    final TreeMap<String, String> parameters = new TreeMap<>();
  }

  /** Prints the cached answer for these arguments and returns true, or returns false. */
  public static boolean print(String[] args, CliEnvironment env) {
    Asked asked = parse(args);
    if (asked == null) {
      return false;
    }
    // No lambdas or string concatenation on this path: bootstrapping them costs milliseconds.
    String raw = asked.server;
    if (raw == null) {
      raw = env.get("STINT_SERVER").orElse(ServerOptions.DEFAULT_SERVER);
    }
    String server = ServerOptions.normalize(raw);
    Optional<String> cached =
        asked.profile != null ? ofPerson(asked, server, env) : ofLease(asked, server, env);
    if (cached.isEmpty()) {
      return false;
    }
    PrintStream out = env.out();
    out.print(cached.get());
    out.flush();
    return !out.checkError();
  }

  /** The arguments, or null when the fast path does not take them. */
  private static Asked parse(String[] args) {
    if (args.length < 1 || !"credentials".equals(args[0])) {
      return null;
    }
    Asked asked = new Asked();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if ("--server".equals(arg) && i + 1 < args.length && asked.server == null) {
        asked.server = args[++i];
      } else if (arg.startsWith("--server=") && asked.server == null) {
        asked.server = arg.substring("--server=".length());
      } else if ("--lease-file".equals(arg) && i + 1 < args.length && asked.leaseFile == null) {
        asked.leaseFile = args[++i];
      } else if (arg.startsWith("--lease-file=") && asked.leaseFile == null) {
        asked.leaseFile = arg.substring("--lease-file=".length());
      } else if ("--param".equals(arg) && i + 1 < args.length) {
        if (!parameter(args[++i], asked.parameters)) {
          return null;
        }
      } else if (arg.startsWith("--param=")) {
        if (!parameter(arg.substring("--param=".length()), asked.parameters)) {
          return null;
        }
      } else if (arg.startsWith("-") || asked.profile != null) {
        return null;
      } else {
        asked.profile = arg;
      }
    }
    // A profile and a lease together, or a lease with values, are the full command's to refuse.
    boolean lease = asked.leaseFile != null || asked.profile == null;
    if (lease && (asked.profile != null || !asked.parameters.isEmpty())
        || asked.leaseFile != null
            && (asked.leaseFile.isEmpty() || asked.leaseFile.startsWith("-"))) {
      return null;
    }
    return asked;
  }

  /**
   * The logged-in person's entry. Whose a token is takes parsing it, which the full command does: a
   * token given in STINT_TOKEN may belong to someone other than the stored login.
   */
  private static Optional<String> ofPerson(Asked asked, String server, CliEnvironment env) {
    if (env.get("STINT_TOKEN").isPresent()) {
      return Optional.empty();
    }
    Optional<String> owner = LoginMarker.read(env);
    if (owner.isEmpty()) {
      return Optional.empty();
    }
    return new CredentialCache(env.cacheDir())
        .read(server, asked.profile, asked.parameters, owner.get(), env.clock().instant());
  }

  /**
   * The entry of the lease the token names, when it was minted with that token: the token from
   * {@code --lease-file}, else the environment.
   */
  private static Optional<String> ofLease(Asked asked, String server, CliEnvironment env) {
    Optional<String> token;
    if (asked.leaseFile != null) {
      token = LeaseCache.tokenInFile(asked.leaseFile);
    } else {
      Optional<String> text = env.get(LeaseToken.ENV);
      token = text.isPresent() ? LeaseCache.tokenOf(text.get()) : Optional.empty();
    }
    if (token.isEmpty()) {
      return Optional.empty();
    }
    return new LeaseCache(env.cacheDir())
        .readMintedWith(server, token.get(), env.clock().instant());
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
