package dev.stint.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command that talks to a stint server shares. */
public final class ServerOptions {
  public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "stint server URL (default: $STINT_SERVER, else " + DEFAULT_SERVER + ").")
  String server;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Read the OIDC token from FILE instead of the stored login.")
  Path tokenFile;

  @Option(
      names = "--insecure",
      description =
          "Allow sending the token over plain http to a server that is not on this"
              + " machine (anyone on the path can read it).")
  boolean insecure;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default) or json.")
  OutputFormat output = OutputFormat.TABLE;

  /** Options built by a command that cannot mix these in (its own -o means something else). */
  public static ServerOptions of(String server, Path tokenFile, boolean insecure) {
    ServerOptions options = new ServerOptions();
    options.server = server;
    options.tokenFile = tokenFile;
    options.insecure = insecure;
    return options;
  }

  /** How results are printed. */
  public enum OutputFormat {
    TABLE,
    JSON
  }

  public URI serverUrl(CliEnvironment env) {
    return serverUrl(Optional.ofNullable(server), env);
  }

  /**
   * The flag's value, else {@code STINT_SERVER}, else the default; for commands without this mixin.
   */
  public static URI serverUrl(Optional<String> flag, CliEnvironment env) {
    String raw = flag.or(() -> env.get("STINT_SERVER")).orElse(DEFAULT_SERVER);
    if (!raw.contains("://")) {
      throw new CliException(
          CliException.USAGE,
          "server URL '" + raw + "' has no scheme: did you mean 'https://" + raw + "'?");
    }
    URI uri;
    try {
      uri = URI.create(normalize(raw));
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, "server URL '" + raw + "' is not a valid URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new CliException(
          CliException.USAGE, "server URL '" + raw + "' must be http(s)://HOST[:PORT]");
    }
    if (!uri.getRawPath().isEmpty()
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw new CliException(
          CliException.USAGE,
          "server URL '"
              + raw
              + "' names more than the server (stint's API is at its root):"
              + " did you mean '"
              + root(uri)
              + "'?");
    }
    return uri;
  }

  private static String root(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  /**
   * The server URL without a trailing slash: the form that names a server in the credential cache
   * (the cached fast path computes it without parsing).
   */
  public static String normalize(String raw) {
    return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
  }

  public boolean insecure() {
    return insecure;
  }

  public Optional<Path> tokenFile() {
    return Optional.ofNullable(tokenFile);
  }

  public OutputFormat output() {
    return output;
  }
}
