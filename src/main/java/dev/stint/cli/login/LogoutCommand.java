package dev.stint.cli.login;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.credentials.CachedGrants;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stint logout}: forgets the stored login with its {@link dev.stint.cli.LoginMarker}, so no
 * cached AWS credential of any server is served any more, and deletes the server's cached
 * credentials. When the provider advertises a revocation endpoint the refresh token is revoked
 * first (RFC 7009), best effort: logout never fails because the provider is down.
 */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description =
        "Delete the stored login (and revoke its refresh token when the provider allows)"
            + " and the cached AWS credentials for the server.")
public final class LogoutCommand implements Callable<Integer> {
  // Not the ServerOptions mixin: logout sends no token to stint; the server only names the cache.
  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "stint server whose cached credentials to delete (default: $STINT_SERVER, else "
              + ServerOptions.DEFAULT_SERVER
              + ").")
  String server;

  private final CliEnvironment env;

  public LogoutCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    LoginStore store = new LoginStore(env);
    Optional<LoginRecord> login;
    try {
      login = store.read();
    } catch (RuntimeException damaged) {
      login = Optional.empty();
    }
    login.ifPresent(this::revoke);
    boolean deleted = store.delete();
    env.err().println(deleted ? "Logged out; deleted " + store.file() : "Not logged in.");
    forgetCachedCredentials();
    return 0;
  }

  private void forgetCachedCredentials() {
    String url;
    try {
      url = ServerOptions.serverUrl(Optional.ofNullable(server), env).toString();
    } catch (CliException e) {
      env.err().println("(cached credentials not deleted: " + e.getMessage() + ")");
      return;
    }
    int forgotten = new CachedGrants(env).forgetServer(url);
    if (forgotten > 0) {
      env.err()
          .println(
              "Deleted "
                  + forgotten
                  + " cached credential"
                  + (forgotten == 1 ? "" : "s")
                  + " for "
                  + url);
    }
  }

  private void revoke(LoginRecord login) {
    if (login.revocationEndpoint() == null || login.refresh().isEmpty()) {
      return;
    }
    try {
      URI endpoint =
          Provider.requireSecure(URI.create(login.revocationEndpoint()), "revocation endpoint");
      int status =
          new IdpClient()
              .postFormForStatus(
                  endpoint,
                  Map.of(
                      "token",
                      login.refresh().get(),
                      "token_type_hint",
                      "refresh_token",
                      "client_id",
                      login.clientId()));
      if (status != 200) {
        warnNotRevoked();
      }
    } catch (RuntimeException e) {
      warnNotRevoked();
    }
  }

  private void warnNotRevoked() {
    env.err()
        .println(
            "(could not revoke the refresh token at the identity provider; the"
                + " local login is deleted anyway)");
  }
}
