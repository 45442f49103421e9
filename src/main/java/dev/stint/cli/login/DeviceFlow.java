package dev.stint.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * OAuth 2.0 Device Authorization Grant (RFC 8628): works where no browser can reach this machine
 * (SSH). Shows the verification URI and user code on stderr, then polls the token endpoint at the
 * provider's pace until the user approves, denies, or the code expires.
 */
final class DeviceFlow {
  static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";

  /** RFC 8628 §3.2: the interval when the provider names none; §3.5: slow_down adds 5 s. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);

  /** However long the provider lets a code live, stop waiting after this. */
  static final Duration MAX_WAIT = Duration.ofMinutes(30);

  private final CliEnvironment env;
  private final IdpClient idp;

  DeviceFlow(CliEnvironment env, IdpClient idp) {
    this.env = env;
    this.idp = idp;
  }

  LoginRecord login(Provider provider, LoginSettings settings) {
    var endpoint =
        provider
            .deviceAuthorizationEndpoint()
            .orElseThrow(
                () ->
                    new CliException(
                        CliException.FAILED,
                        "identity provider "
                            + provider.issuer()
                            + " does not offer the device flow: use 'stint login --browser'"));
    JsonNode start;
    try {
      start =
          idp.postForm(
              endpoint, Map.of("client_id", settings.clientId(), "scope", settings.scope()));
    } catch (IdpClient.OAuthError e) {
      throw new CliException(
          CliException.REFUSED, "identity provider refused the device login: " + e.summary());
    }
    String deviceCode = required(start, "device_code");
    show(start);
    Instant deadline =
        env.clock()
            .instant()
            .plus(
                min(
                    Duration.ofSeconds(start.path("expires_in").asLong(MAX_WAIT.toSeconds())),
                    MAX_WAIT));
    Duration interval =
        Duration.ofSeconds(
            Math.max(1, start.path("interval").asLong(DEFAULT_INTERVAL.toSeconds())));
    Map<String, String> poll =
        Map.of("grant_type", GRANT, "device_code", deviceCode, "client_id", settings.clientId());
    while (true) {
      pause(interval);
      if (env.clock().instant().isAfter(deadline)) {
        throw new CliException(
            CliException.REFUSED,
            "the device code expired before sign-in" + " completed: run 'stint login' again");
      }
      try {
        JsonNode tokens = idp.postForm(provider.tokenEndpoint(), poll);
        return LoginRecord.fromTokenAnswer(
            tokens, provider, settings.clientId(), Optional.empty(), Optional.empty());
      } catch (IdpClient.OAuthError e) {
        interval = next(e, interval);
      }
    }
  }

  /** What one polling error means: keep waiting (maybe slower), or stop with a reason. */
  static Duration next(IdpClient.OAuthError e, Duration interval) {
    return switch (e.error()) {
      case "authorization_pending" -> interval;
      case "slow_down" -> interval.plus(SLOW_DOWN_STEP);
      case "expired_token" ->
          throw new CliException(
              CliException.REFUSED,
              "the device code expired before sign-in completed: run 'stint login' again");
      case "access_denied" ->
          throw new CliException(
              CliException.REFUSED, "sign-in was denied at the identity provider");
      default ->
          throw new CliException(
              CliException.REFUSED, "identity provider refused the login: " + e.summary());
    };
  }

  private void show(JsonNode start) {
    // Google names it verification_url; RFC 8628 verification_uri.
    String uri = start.path("verification_uri").asText(start.path("verification_url").asText(""));
    String code = required(start, "user_code");
    if (uri.isEmpty()) {
      throw new CliException(CliException.FAILED, "identity provider sent no verification_uri");
    }
    env.err()
        .println("To sign in, open " + printable(uri) + " and enter the code " + printable(code));
    String complete = start.path("verification_uri_complete").asText("");
    if (!complete.isEmpty()) {
      env.err().println("(or open " + printable(complete) + " which has the code filled in)");
    }
    env.err().println("Waiting for sign-in…");
  }

  private void pause(Duration interval) {
    try {
      env.sleeper().sleep(interval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILED, "interrupted");
    }
  }

  private static String required(JsonNode node, String field) {
    String value = node.path(field).asText("");
    if (value.isEmpty()) {
      throw new CliException(
          CliException.FAILED, "identity provider's device answer has no " + field);
    }
    return value;
  }

  static String printable(String s) {
    return s.replaceAll("[\\p{Cntrl}]", "");
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
