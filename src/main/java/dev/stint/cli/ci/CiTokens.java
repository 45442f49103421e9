package dev.stint.cli.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.BlockingHttp;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.TokenSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a CI job's OIDC token: from a named environment variable (GitLab's {@code id_tokens:}),
 * from GitHub Actions' token endpoint ({@code ACTIONS_ID_TOKEN_REQUEST_URL} with its request token,
 * asked for stint's audience), or else the usual {@code --token-file}/{@code STINT_TOKEN}.
 */
final class CiTokens {
  static final String GITHUB_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
  static final String GITHUB_REQUEST_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CliEnvironment env;
  private final TokenSource fallback;

  CiTokens(CliEnvironment env, TokenSource fallback) {
    this.env = env;
    this.fallback = fallback;
  }

  String token(ServerOptions options, Optional<String> tokenEnv, String audience) {
    if (options.tokenFile().isPresent()) {
      return fallback.token(options);
    }
    if (tokenEnv.isPresent()) {
      String name = tokenEnv.get();
      if (name.equals(GITHUB_URL)) {
        return fromGithub(audience);
      }
      return env.get(name)
          .map(String::trim)
          .orElseThrow(
              () ->
                  new CliException(
                      CliException.USAGE, "--token-env " + name + ": the variable is not set"));
    }
    if (env.get(GITHUB_URL).isPresent() && env.get(GITHUB_REQUEST_TOKEN).isPresent()) {
      return fromGithub(audience);
    }
    return fallback.token(options);
  }

  /** GitHub Actions hands out ID tokens at a URL only jobs with {@code id-token: write} get. */
  private String fromGithub(String audience) {
    String url =
        env.get(GITHUB_URL)
            .orElseThrow(
                () ->
                    new CliException(
                        CliException.USAGE,
                        GITHUB_URL + " is not set: give the job 'permissions: id-token: write'"));
    String requestToken =
        env.get(GITHUB_REQUEST_TOKEN)
            .orElseThrow(
                () ->
                    new CliException(
                        CliException.USAGE,
                        GITHUB_REQUEST_TOKEN
                            + " is not set: give the job"
                            + " 'permissions: id-token: write'"));
    URI uri =
        URI.create(
            url
                + (url.contains("?") ? "&" : "?")
                + "audience="
                + URLEncoder.encode(audience, StandardCharsets.UTF_8));
    try {
      BlockingHttp.Answer answer =
          BlockingHttp.send(
              "GET",
              uri,
              Map.of("Authorization", "Bearer " + requestToken, "Accept", "application/json"),
              null,
              Duration.ofSeconds(10),
              Duration.ofSeconds(30));
      if (answer.status() != 200) {
        throw new CliException(
            CliException.UNAVAILABLE,
            "GitHub's ID token endpoint answered HTTP " + answer.status());
      }
      JsonNode body = JSON.readTree(answer.body());
      String value = body.path("value").asText("");
      if (value.isEmpty()) {
        throw new CliException(
            CliException.UNAVAILABLE, "GitHub's ID token endpoint sent no token");
      }
      return value;
    } catch (IOException e) {
      throw new CliException(
          CliException.UNAVAILABLE, "cannot reach GitHub's ID token endpoint: " + e.getMessage());
    }
  }
}
