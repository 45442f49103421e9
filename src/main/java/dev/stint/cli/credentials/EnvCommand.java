package dev.stint.cli.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ParameterOptions;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.TokenSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code stint env PROFILE}: {@code export AWS_…} lines for {@code eval "$(stint env P)"}. */
@Command(
    name = "env",
    description =
        "Print export lines for AWS credentials (or a GCP access token) for PROFILE: "
            + "eval \"$(stint env PROFILE)\"")
public final class EnvCommand implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();

  @Mixin ParameterOptions parameters = new ParameterOptions();

  @Parameters(
      index = "0",
      paramLabel = "PROFILE",
      description = "An AWS profile you hold a grant for.")
  String profile;

  private final CliEnvironment env;
  private final TokenSource tokens;

  public EnvCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    Map<String, String> values = parameters.values();
    AwsCredentialSource source = new AwsCredentialSource(env, tokens);
    Optional<String> json = source.cached(server, profile, values);
    if (json.isEmpty()) {
      AwsCredentialSource.Fetched fetched = source.fetch(server, profile, values);
      JsonNode answer = fetched.answer();
      String cloud = answer.path("cloud").asText();
      if (cloud.equals("gcp")) {
        String token = answer.path("access_token").asText();
        env.out().println("export CLOUDSDK_AUTH_ACCESS_TOKEN=" + quote(token));
        env.out().println("export GOOGLE_OAUTH_ACCESS_TOKEN=" + quote(token));
        return 0;
      }
      if (!cloud.equals("aws")) {
        throw new CliException(
            CliException.FAILED,
            "profile "
                + profile
                + " is a "
                + cloud
                + " profile: use 'stint credentials "
                + profile
                + "' for its access token");
      }
      json = Optional.of(source.store(server, profile, values, fetched));
    }
    AwsCredentialSource.Credentials c = AwsCredentialSource.credentials(profile, json.get());
    env.out().println("export AWS_ACCESS_KEY_ID=" + quote(c.accessKeyId()));
    env.out().println("export AWS_SECRET_ACCESS_KEY=" + quote(c.secretAccessKey()));
    env.out().println("export AWS_SESSION_TOKEN=" + quote(c.sessionToken()));
    env.out().println("export AWS_CREDENTIAL_EXPIRATION=" + quote(c.expiration()));
    exportRegion(env, profile, c.region());
    return 0;
  }

  /**
   * The profile's region as both variables AWS tools read ({@code AWS_REGION} for the SDKs, {@code
   * AWS_DEFAULT_REGION} for older CLIs): without one, {@code aws} fails with "You must specify a
   * region". A profile that names none gets a hint on stderr, unless the shell already has one.
   */
  public static void exportRegion(CliEnvironment env, String profile, Optional<String> region) {
    if (region.isPresent()) {
      env.out().println("export AWS_REGION=" + quote(region.get()));
      env.out().println("export AWS_DEFAULT_REGION=" + quote(region.get()));
    } else if (env.get("AWS_REGION").isEmpty() && env.get("AWS_DEFAULT_REGION").isEmpty()) {
      env.err()
          .println(
              "stint: profile "
                  + profile
                  + " names no region: export AWS_REGION yourself, or give the profile"
                  + " a region in the policy (aws: {region: …})");
    }
  }

  /** POSIX single quoting: safe for any value, including quotes and newlines. */
  public static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
