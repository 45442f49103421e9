package dev.stint.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.DefaultBrowser;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authorization code + PKCE (S256) with a loopback redirect (RFC 8252). A fresh {@code state} ties
 * the callback to this run and a fresh {@code nonce} ties the ID token to it.
 */
final class BrowserFlow {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CliEnvironment env;
  private final IdpClient idp;
  private final boolean open;
  private final Duration timeout;

  BrowserFlow(CliEnvironment env, IdpClient idp, boolean open, Duration timeout) {
    this.env = env;
    this.idp = idp;
    this.open = open;
    this.timeout = timeout;
  }

  LoginRecord login(Provider provider, LoginSettings settings) {
    String state = random();
    String nonce = random();
    String verifier = random();
    try (LoopbackListener listener = new LoopbackListener(state)) {
      URI url =
          authorizationUrl(
              provider,
              settings,
              listener.redirectUri(),
              Map.of("state", state, "nonce", nonce, "code_challenge", challenge(verifier)));
      env.err().println("To sign in, open this URL in a browser on this machine:");
      env.err().println("  " + url);
      if (open) {
        openBrowser(url);
      }
      Map<String, String> callback = listener.await(timeout);
      String code = checkCallback(callback, state);
      JsonNode tokens =
          exchange(
              provider,
              settings,
              Map.of(
                  "code",
                  code,
                  "redirect_uri",
                  listener.redirectUri().toString(),
                  "code_verifier",
                  verifier));
      return LoginRecord.fromTokenAnswer(
          tokens, provider, settings.clientId(), Optional.empty(), Optional.of(nonce));
    }
  }

  private static URI authorizationUrl(
      Provider provider, LoginSettings settings, URI redirect, Map<String, String> binding) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", settings.clientId());
    query.put("redirect_uri", redirect.toString());
    query.put("scope", settings.scope());
    query.putAll(binding);
    query.put("code_challenge_method", "S256");
    String base = provider.authorizationEndpoint().toString();
    return URI.create(base + (base.contains("?") ? "&" : "?") + IdpClient.encode(query));
  }

  private static String checkCallback(Map<String, String> callback, String state) {
    // State first: an error answer that is not for this login must not be believed either.
    if (!state.equals(callback.get("state"))) {
      throw new CliException(
          CliException.FAILED,
          "login callback had the wrong state"
              + " (not from this login, or forged): run 'stint login' again");
    }
    if (callback.containsKey("error")) {
      throw new CliException(
          CliException.REFUSED,
          "identity provider refused the login: "
              + new IdpClient.OAuthError(callback.get("error"), callback.get("error_description"))
                  .summary());
    }
    String code = callback.getOrDefault("code", "");
    if (code.isEmpty()) {
      throw new CliException(CliException.FAILED, "login callback carried no authorization code");
    }
    return code;
  }

  private JsonNode exchange(Provider provider, LoginSettings settings, Map<String, String> fields) {
    Map<String, String> form = new LinkedHashMap<>(fields);
    form.put("grant_type", "authorization_code");
    form.put("client_id", settings.clientId());
    try {
      return idp.postForm(provider.tokenEndpoint(), form);
    } catch (IdpClient.OAuthError e) {
      throw new CliException(
          CliException.REFUSED, "identity provider refused the code exchange: " + e.summary());
    }
  }

  /** Best effort: the URL is already on stderr, so a missing browser is not an error. */
  private void openBrowser(URI url) {
    try {
      List<String> command = new ArrayList<>(DefaultBrowser.command(env));
      command.add(url.toString());
      new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException | RuntimeException e) {
      env.err().println("(could not open a browser; open the URL above yourself)");
    }
  }

  static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String challenge(String verifier) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
