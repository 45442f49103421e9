package dev.stint.cli.ci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.TokenSource;
import dev.stint.cli.credentials.AwsCredentialSource;
import dev.stint.cli.credentials.EnvCommand;
import dev.stint.common.Durations;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint exchange PROFILE}: a CI job's OIDC token for credentials, under the policy's CI
 * rules. With a rule that needs approval the job gets a request id, and {@code --wait} polls until
 * someone decides.
 */
@Command(name = "exchange", description = "Exchange a CI job's OIDC token for credentials.")
public final class ExchangeCommand implements Callable<Integer> {
  /** What can be printed. */
  public enum Format {
    ENV,
    JSON,
    CREDENTIAL_PROCESS,
    GITHUB_ENV
  }

  private final CliEnvironment env;
  private final TokenSource tokens;

  @Mixin ServerOptions server = new ServerOptions();

  @Parameters(index = "0", paramLabel = "PROFILE", description = "The profile a CI rule allows.")
  String profile;

  @Option(
      names = "--token-env",
      paramLabel = "VAR",
      description =
          "Take the token from "
              + "environment variable VAR (GitLab id_tokens); ACTIONS_ID_TOKEN_REQUEST_URL fetches "
              + "GitHub Actions' token (the default inside Actions).")
  String tokenEnv;

  @Option(
      names = "--audience",
      paramLabel = "AUD",
      description = "Audience to ask GitHub for (default: stint).")
  String audience = "stint";

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "env (default), json, credential-process or github-env (appends NAME=value lines to"
              + " $GITHUB_ENV and prints only ::add-mask:: commands).")
  String format = "env";

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description =
          "How long the credentials should last, like 15m or 1h (default and maximum: the CI"
              + " rule's max_duration).")
  String duration;

  @Option(names = "--wait", description = "When the rule needs approval, wait for it.")
  boolean await;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      description = "Give up after this (default 30m).")
  String waitTimeout = "30m";

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      hidden = true,
      description = "Polling interval.")
  String interval = "5s";

  public ExchangeCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    Format out = format(format);
    // Before the exchange: a job without the file would spend its token for nothing.
    Optional<Path> githubEnv =
        out == Format.GITHUB_ENV ? Optional.of(githubEnvFile()) : Optional.empty();
    Map<String, Object> ask = ask();
    ApiClient.Response answer = api().post("/v1/exchange", ask);
    JsonNode credentials = answer.body();
    if (answer.status() == 202) {
      String id = answer.body().path("request").path("id").asText();
      env.err()
          .println(
              "approval required: request "
                  + id
                  + " waits for an approver"
                  + " (stint approve "
                  + id
                  + ")");
      if (!await) {
        return CliException.REFUSED;
      }
      waitForApproval(id);
      ApiClient.Response minted = api().post("/v1/exchange", ask);
      if (minted.status() != 200) {
        throw new CliException(
            CliException.FAILED,
            "request "
                + id
                + " was approved, but the"
                + " exchange answered "
                + minted.status()
                + " instead of credentials");
      }
      credentials = minted.body();
    }
    print(out, credentials, githubEnv);
    return 0;
  }

  /** The body of every {@code POST /v1/exchange} of this run. */
  private Map<String, Object> ask() {
    Map<String, Object> ask = new LinkedHashMap<>();
    ask.put("profile", profile);
    if (duration != null) {
      ask.put("duration_seconds", parse(duration, "--duration").toSeconds());
    }
    return ask;
  }

  /**
   * A client with a token fetched now: CI tokens live for minutes, an approval may take longer, and
   * each token mints once, so every call asks the CI platform again (where it can: a token from an
   * environment variable is the same each time).
   */
  private ApiClient api() {
    String token = new CiTokens(env, tokens).token(server, Optional.ofNullable(tokenEnv), audience);
    return new ApiClient(server.serverUrl(env), token, server.insecure());
  }

  private void waitForApproval(String id) {
    Instant deadline = env.clock().instant().plus(parse(waitTimeout, "--wait-timeout"));
    long pause = parse(interval, "--interval").toMillis();
    while (true) {
      String state =
          api().get("/v1/exchange/requests/" + id, Map.of()).body().path("state").asText();
      if (Set.of("active", "approved").contains(state)) {
        return;
      }
      if (!state.equals("pending") && !state.equals("scheduled")) {
        throw new CliException(CliException.REFUSED, "request " + id + " was " + state);
      }
      if (!env.clock().instant().isBefore(deadline)) {
        throw new CliException(
            CliException.FAILED, "request " + id + " is still " + state + " after " + waitTimeout);
      }
      try {
        env.sleeper().sleep(Duration.ofMillis(pause));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(CliException.FAILED, "interrupted while waiting for " + id);
      }
    }
  }

  private void print(Format out, JsonNode c, Optional<Path> githubEnv) {
    switch (out) {
      case JSON -> env.out().println(c.toString());
      case CREDENTIAL_PROCESS -> env.out().println(AwsCredentialSource.toProcessJson(profile, c));
      case GITHUB_ENV -> writeGithubEnv(githubEnv.orElseThrow(), c);
      case ENV -> {
        Map<String, String> variables = variables(c);
        boolean aws = c.path("cloud").asText("").equals("aws");
        if (aws) {
          variables.put("AWS_CREDENTIAL_EXPIRATION", c.path("expiration").asText());
        }
        variables.forEach(
            (name, value) -> env.out().println("export " + name + "=" + EnvCommand.quote(value)));
        if (aws) {
          EnvCommand.exportRegion(env, profile, AwsCredentialSource.region(c));
        }
      }
    }
  }

  /**
   * The credential's secrets as the variables its cloud's tools read, in the order they are
   * written: every value here is a secret.
   */
  private static Map<String, String> variables(JsonNode c) {
    String cloud = c.path("cloud").asText("");
    Map<String, String> variables = new LinkedHashMap<>();
    if (cloud.equals("aws")) {
      variables.put("AWS_ACCESS_KEY_ID", c.path("access_key_id").asText());
      variables.put("AWS_SECRET_ACCESS_KEY", c.path("secret_access_key").asText());
      variables.put("AWS_SESSION_TOKEN", c.path("session_token").asText());
    } else if (cloud.equals("gcp")) {
      variables.put("CLOUDSDK_AUTH_ACCESS_TOKEN", c.path("access_token").asText());
      variables.put("GOOGLE_OAUTH_ACCESS_TOKEN", c.path("access_token").asText());
    } else {
      throw new CliException(
          CliException.FAILED, "no env format for " + cloud + " credentials; use --format json");
    }
    return variables;
  }

  /**
   * {@code $GITHUB_ENV}, which the runner sets for every step; refused before anything is asked.
   */
  private Path githubEnvFile() {
    String file =
        env.get(GithubEnv.VARIABLE)
            .orElseThrow(
                () ->
                    new CliException(
                        CliException.USAGE,
                        "--format github-env appends to the file named by $GITHUB_ENV, which is"
                            + " not set: use it in a GitHub Actions step, or --format env"
                            + " elsewhere"));
    try {
      return Path.of(file);
    } catch (InvalidPathException e) {
      throw new CliException(CliException.USAGE, "$GITHUB_ENV is not a path: " + e.getMessage());
    }
  }

  /**
   * Masks first, on stdout, where the runner reads workflow commands; then the variables, into the
   * file only, so no value is ever printed unmasked and no value on stdout can be read as a command
   * or a variable line. The expiry (not a secret) goes to stderr for the log.
   */
  private void writeGithubEnv(Path file, JsonNode c) {
    Map<String, String> variables = variables(c);
    env.out().print(GithubEnv.masks(new LinkedHashSet<>(variables.values())));
    env.out().flush();
    // The region is no secret: masking it would hide every region name in the job's log.
    Map<String, String> written = new LinkedHashMap<>(variables);
    AwsCredentialSource.region(c)
        .ifPresent(
            r -> {
              written.put("AWS_REGION", r);
              written.put("AWS_DEFAULT_REGION", r);
            });
    try {
      GithubEnv.append(file, GithubEnv.lines(written, GithubEnv::randomDelimiter));
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED, "cannot append to $GITHUB_ENV (" + file + "): " + e.getMessage());
    }
    String expiry = c.path("expiration").asText(c.path("expires_at").asText(""));
    env.err()
        .println(
            String.join(", ", written.keySet())
                + " set for the next steps through $GITHUB_ENV"
                + (expiry.isEmpty() ? "" : " (until " + expiry + ")"));
  }

  private static Format format(String text) {
    return switch (text) {
      case "env" -> Format.ENV;
      case "json" -> Format.JSON;
      case "credential-process" -> Format.CREDENTIAL_PROCESS;
      case "github-env" -> Format.GITHUB_ENV;
      default ->
          throw new CliException(
              CliException.USAGE,
              "--format must be env, json, credential-process or github-env, not '" + text + "'");
    };
  }

  private static Duration parse(String text, String option) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, option + ": " + e.getMessage());
    }
  }
}
