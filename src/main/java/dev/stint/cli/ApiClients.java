package dev.stint.cli;

/**
 * Opens an {@link ApiClient} for a command's {@link ServerOptions}: the server from the options or
 * the environment, the token from {@link TokenSource}.
 */
public final class ApiClients {
  private final CliEnvironment env;
  private final TokenSource tokens;

  public ApiClients(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  public ApiClient open(ServerOptions options) {
    return new ApiClient(options.serverUrl(env), tokens.token(options), options.insecure());
  }

  public TokenSource tokens() {
    return tokens;
  }

  public CliEnvironment env() {
    return env;
  }
}
