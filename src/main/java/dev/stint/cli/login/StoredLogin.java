package dev.stint.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.LoginMarker;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The stored login as {@link dev.stint.cli.TokenSource} uses it: the ID token while it stays valid
 * for at least another minute, else a fresh one from the refresh token (a rotated refresh token is
 * saved), else a clear "run stint login". Empty when nobody has logged in. A login saved without
 * its {@link LoginMarker} gets one here, so its cached credentials can be served again.
 */
public final class StoredLogin implements Supplier<Optional<String>> {
  /** A token this close to expiry could lapse on its way to the server. */
  static final Duration MIN_REMAINING = Duration.ofSeconds(60);

  private final CliEnvironment env;
  private final LoginStore store;
  private final IdpClient idp;

  public StoredLogin(CliEnvironment env) {
    this(env, new IdpClient());
  }

  StoredLogin(CliEnvironment env, IdpClient idp) {
    this.env = env;
    this.store = new LoginStore(env);
    this.idp = idp;
  }

  @Override
  public Optional<String> get() {
    Optional<LoginRecord> current = store.read();
    if (current.isEmpty()) {
      return Optional.empty();
    }
    if (LoginMarker.read(env).isEmpty()) {
      store.mark();
    }
    if (fresh(current.get())) {
      return Optional.of(current.get().idToken());
    }
    // Re-read under the lock: another stint process may have refreshed meanwhile.
    return Optional.of(
        store.locked(
            latest -> {
              LoginRecord login = latest.orElseThrow(StoredLogin::expired);
              return fresh(login) ? login.idToken() : refresh(login).idToken();
            }));
  }

  /**
   * The stored ID token while it is fresh, else nothing: never refreshed, never marked, no lock
   * taken. For shell completion, which must not wait on the identity provider or write anything a
   * TAB press did not ask for.
   */
  public static Supplier<Optional<String>> withoutRefresh(CliEnvironment env) {
    LoginStore store = new LoginStore(env);
    return () -> store.read().filter(login -> fresh(login, env)).map(LoginRecord::idToken);
  }

  private boolean fresh(LoginRecord login) {
    return fresh(login, env);
  }

  private static boolean fresh(LoginRecord login, CliEnvironment env) {
    return login.expiresAt() != null
        && login.expiresAt().minus(MIN_REMAINING).isAfter(env.clock().instant());
  }

  private LoginRecord refresh(LoginRecord login) {
    String refreshToken = login.refresh().orElseThrow(StoredLogin::expired);
    Provider provider =
        new Provider(
            URI.create(login.issuer()),
            null,
            Provider.requireSecure(URI.create(login.tokenEndpoint()), "token endpoint"),
            Optional.empty(),
            Optional.ofNullable(login.revocationEndpoint()).map(URI::create));
    JsonNode answer;
    try {
      answer =
          idp.postForm(
              provider.tokenEndpoint(),
              Map.of(
                  "grant_type",
                  "refresh_token",
                  "refresh_token",
                  refreshToken,
                  "client_id",
                  login.clientId()));
    } catch (IdpClient.OAuthError e) {
      // invalid_grant and friends: the refresh token is spent, revoked or expired.
      throw new CliException(
          CliException.REFUSED,
          "login expired (" + e.error() + " from the identity provider): run 'stint login'");
    } catch (CliException e) {
      throw new CliException(
          CliException.UNAVAILABLE, "login expired and could not be refreshed: " + e.getMessage());
    }
    LoginRecord refreshed =
        LoginRecord.fromTokenAnswer(
            answer, provider, login.clientId(), Optional.of(login), Optional.empty());
    // A provider may issue ID tokens shorter-lived than MIN_REMAINING; use them while valid.
    if (!refreshed.expiresAt().isAfter(env.clock().instant())) {
      throw expired();
    }
    store.write(refreshed);
    return refreshed;
  }

  private static CliException expired() {
    return new CliException(CliException.REFUSED, "login expired: run 'stint login'");
  }
}
