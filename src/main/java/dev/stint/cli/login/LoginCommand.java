package dev.stint.cli.login;

import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.credentials.CacheOwner;
import dev.stint.cli.credentials.CachedGrants;
import dev.stint.common.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stint login}: device flow by default, {@code --browser} for code + PKCE. */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {
      "Log in with your organisation's identity provider and store the tokens",
      "in the config directory (mode 0600). Works over SSH (device code) by default."
    })
public final class LoginCommand implements Callable<Integer> {
  // Not the ServerOptions mixin: login sends no token and prints no result, so --token-file
  // and --output would mean nothing here.
  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "stint server to ask for the identity provider (default: $STINT_SERVER, else "
              + ServerOptions.DEFAULT_SERVER
              + ").")
  String server;

  @Option(
      names = "--issuer",
      paramLabel = "URL",
      description = "OIDC issuer (default: $STINT_OIDC_ISSUER, else what the server advertises).")
  String issuer;

  @Option(
      names = "--client-id",
      paramLabel = "ID",
      description =
          "OAuth client id (default: $STINT_OIDC_CLIENT_ID, else what the server advertises).")
  String clientId;

  @Option(
      names = "--scope",
      paramLabel = "S",
      split = "[ ,]",
      description =
          "Scopes to ask for (repeatable; default: the server's, else openid profile email offline_access).")
  List<String> scopes = new ArrayList<>();

  @Option(
      names = "--browser",
      description = "Use a browser on this machine (authorization code + PKCE).")
  boolean browser;

  @Option(
      names = "--no-open",
      description = "With --browser: print the URL but do not open a browser.")
  boolean noOpen;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description = "With --browser: how long to wait for the sign-in (default: 5m).")
  String timeout;

  private final CliEnvironment env;

  public LoginCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    Duration wait = parseTimeout();
    LoginSettings settings =
        LoginSettings.resolve(
            new LoginSettings.Requested(
                Optional.ofNullable(issuer),
                Optional.ofNullable(clientId),
                scopes.stream().filter(s -> !s.isBlank()).toList()),
            env,
            () -> ApiClient.anonymous(ServerOptions.serverUrl(Optional.ofNullable(server), env)));
    IdpClient idp = new IdpClient();
    Provider provider = Provider.discover(idp, settings.issuer());
    LoginRecord login =
        browser
            ? new BrowserFlow(env, idp, !noOpen, wait).login(provider, settings)
            : new DeviceFlow(env, idp).login(provider, settings);
    LoginStore store = new LoginStore(env);
    store.locked(
        previous -> {
          store.write(login);
          return null;
        });
    IdToken id = IdToken.decode(login.idToken());
    String who = id.string("email").isEmpty() ? id.subject() : id.string("email");
    env.err()
        .println(
            "Logged in as "
                + DeviceFlow.printable(who)
                + " ("
                + login.issuer()
                + "); tokens saved to "
                + store.file());
    forgetOthersCredentials(login);
    return 0;
  }

  /** Cached credentials of anyone else are never served to this login: they are deleted. */
  private void forgetOthersCredentials(LoginRecord login) {
    CacheOwner.ofToken(login.idToken())
        .ifPresent(
            owner -> {
              int forgotten = new CachedGrants(env).forgetAllBut(owner);
              if (forgotten > 0) {
                env.err()
                    .println(
                        "Deleted "
                            + forgotten
                            + " cached credential"
                            + (forgotten == 1 ? "" : "s")
                            + " of an earlier login");
              }
            });
  }

  private Duration parseTimeout() {
    try {
      return Durations.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, "--timeout: " + e.getMessage());
    }
  }
}
