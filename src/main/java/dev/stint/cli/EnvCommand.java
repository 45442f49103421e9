package dev.stint.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code stint env PROFILE}: {@code export AWS_…} lines for {@code eval "$(stint env P)"}. */
@Command(name = "env", description = "Print export lines for AWS credentials for PROFILE: "
    + "eval \"$(stint env PROFILE)\"")
public final class EnvCommand implements Callable<Integer> {
  @Mixin
  ServerOptions server = new ServerOptions();

  @Parameters(index = "0", paramLabel = "PROFILE", description = "An AWS profile you hold a grant for.")
  String profile;

  private final CliEnvironment env;
  private final TokenSource tokens;

  public EnvCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    AwsCredentialSource.Credentials c = new AwsCredentialSource(env, tokens).credentials(server, profile);
    env.out().println("export AWS_ACCESS_KEY_ID=" + quote(c.accessKeyId()));
    env.out().println("export AWS_SECRET_ACCESS_KEY=" + quote(c.secretAccessKey()));
    env.out().println("export AWS_SESSION_TOKEN=" + quote(c.sessionToken()));
    env.out().println("export AWS_CREDENTIAL_EXPIRATION=" + quote(c.expiration()));
    return 0;
  }

  /** POSIX single quoting: safe for any value, including quotes and newlines. */
  static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
