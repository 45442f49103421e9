package dev.stint.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code stint credentials PROFILE}: the AWS {@code credential_process} JSON for the caller's
 * active grant. The cached answer is usually printed by the fast path in {@code app.Main}
 * before this command is even built.
 */
@Command(name = "credentials", description = {
    "Print AWS credentials for PROFILE as credential_process JSON (cached while more than "
        + "5 minutes remain).",
    "In ~/.aws/config: credential_process = stint credentials PROFILE"})
public final class CredentialsCommand implements Callable<Integer> {
  @Mixin
  ServerOptions server = new ServerOptions();

  @Parameters(index = "0", paramLabel = "PROFILE", description = "An AWS profile you hold a grant for.")
  String profile;

  private final CliEnvironment env;
  private final TokenSource tokens;

  public CredentialsCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    env.out().print(new AwsCredentialSource(env, tokens).processJson(server, profile));
    env.out().flush();
    return 0;
  }
}
