package dev.stint.cli.login;

import dev.stint.cli.CliEnvironment;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code stint logout}: forgets the stored login. When the provider advertises a revocation
 * endpoint the refresh token is revoked first (RFC 7009), best effort: logout never fails
 * because the provider is down.
 */
@Command(name = "logout", mixinStandardHelpOptions = true,
    description = "Delete the stored login (and revoke its refresh token when the provider allows).")
public final class LogoutCommand implements Callable<Integer> {
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
    return 0;
  }

  private void revoke(LoginRecord login) {
    if (login.revocationEndpoint() == null || login.refresh().isEmpty()) {
      return;
    }
    try {
      URI endpoint = Provider.requireSecure(URI.create(login.revocationEndpoint()), "revocation endpoint");
      int status = new IdpClient().postFormForStatus(endpoint, Map.of("token", login.refresh().get(),
          "token_type_hint", "refresh_token", "client_id", login.clientId()));
      if (status != 200) {
        warnNotRevoked();
      }
    } catch (RuntimeException e) {
      warnNotRevoked();
    }
  }

  private void warnNotRevoked() {
    env.err().println("(could not revoke the refresh token at the identity provider; the"
        + " local login is deleted anyway)");
  }
}
