package dev.stint.cli.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ParameterOptions;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.Terminal;
import dev.stint.cli.TokenSource;
import dev.stint.cli.lease.LeaseToken;
import dev.stint.common.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint credentials PROFILE}: the AWS {@code credential_process} JSON for the caller's
 * active grant. The cached answer is usually printed by the fast path in {@code app.Main} before
 * this command is even built. Without PROFILE, on a lease instead ({@link LeaseCredentials}): the
 * token in {@code --lease-file}, else in {@code STINT_LEASE_TOKEN}.
 */
@Command(
    name = "credentials",
    description = {
      "Print AWS credentials for PROFILE as credential_process JSON (cached while more than "
          + "5 minutes remain); for GCP and Azure profiles, the access token as JSON.",
      "In ~/.aws/config: credential_process = stint credentials PROFILE"
          + " (a narrowed profile: add --param NAME=VALUE as when it was requested)",
      "On a lease ('stint lease create'): give no PROFILE, and --lease-file FILE, or the token"
          + " in $STINT_LEASE_TOKEN. The lease token is the only bearer sent (no login needed);"
          + " AWS credentials are cached for the lease alone, never with the token."
    })
public final class CredentialsCommand implements Callable<Integer> {
  @Mixin ServerOptions server = new ServerOptions();

  @Mixin ParameterOptions parameters = new ParameterOptions();

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PROFILE",
      description = "An AWS profile you hold a grant for (none with a lease).")
  String profile;

  @Option(
      names = "--lease-file",
      paramLabel = "FILE",
      description =
          "Mint on the lease whose token is in FILE (0600; as 'stint lease create' wrote it),"
              + " instead of a PROFILE of your own. Without it and PROFILE: $"
              + LeaseToken.ENV
              + ".")
  Path leaseFile;

  @Option(
      names = "--agent-file",
      paramLabel = "FILE",
      description =
          "Mint, as an enrolled agent, on a lease it asked for (--lease): the agent token in FILE"
              + " (as 'stint agent enroll' wrote it). Written by 'stint mcp' into the AWS profile"
              + " of an approved lease.")
  Path agentFile;

  @Option(
      names = "--lease",
      paramLabel = "LEASE",
      description = "The lease (lse_…) to mint on, with --agent-file.")
  String agentLease;

  @Option(
      names = "--refresh",
      description =
          "Mint afresh even when cached credentials are"
              + " still valid (a cached entry is otherwise checked with the server once a"
              + " minute).")
  boolean refresh;

  @Option(
      names = "--no-input",
      description =
          "Never offer to request access when there is no"
              + " grant (also when CI is set, or no terminal is attached).")
  boolean noInput;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      description =
          "After requesting"
              + " access from the terminal, wait this long for approval (default 30m).")
  String waitTimeout = "30m";

  /** How often a waiting terminal asks the server about the request. */
  static final Duration POLL = Duration.ofSeconds(2);

  private final CliEnvironment env;
  private final TokenSource tokens;

  public CredentialsCommand(CliEnvironment env, TokenSource tokens) {
    this.env = env;
    this.tokens = tokens;
  }

  @Override
  public Integer call() {
    if (agentFile != null || agentLease != null) {
      if (agentFile == null || agentLease == null || profile != null || leaseFile != null) {
        throw new CliException(
            CliException.USAGE,
            "an agent mints with --agent-file FILE --lease LEASE, and no PROFILE or --lease-file");
      }
      env.out().print(AgentCredentials.mint(env, server, agentFile, agentLease));
      env.out().flush();
      return 0;
    }
    Optional<LeaseToken> lease = lease();
    if (lease.isPresent()) {
      env.out().print(LeaseCredentials.mint(env, server, lease.get(), refresh));
      env.out().flush();
      return 0;
    }
    Map<String, String> values = parameters.values();
    AwsCredentialSource source = new AwsCredentialSource(env, tokens);
    Optional<String> cached = refresh ? Optional.empty() : source.cached(server, profile, values);
    if (cached.isPresent()) {
      env.out().print(cached.get());
    } else {
      AwsCredentialSource.Fetched fetched = fetch(source, values);
      JsonNode answer = fetched.answer();
      // GCP and Azure answers are access tokens, printed as the server gave them (one line of
      // JSON: cloud, access_token, expires_at or expires_on); only AWS has credential_process.
      env.out()
          .print(
              "aws".equals(answer.path("cloud").asText())
                  ? source.store(server, profile, values, fetched)
                  : answer.toString() + "\n");
    }
    env.out().flush();
    return 0;
  }

  /**
   * The lease token to mint on, when the command is about a lease: {@code --lease-file}, or without
   * it and without a PROFILE {@code STINT_LEASE_TOKEN}. Its shape and its file's mode are checked
   * here, before anything is sent.
   */
  private Optional<LeaseToken> lease() {
    if (leaseFile == null && (profile != null || env.get(LeaseToken.ENV).isEmpty())) {
      if (profile == null) {
        throw new CliException(
            CliException.USAGE,
            "give a PROFILE, or a lease's token with --lease-file FILE or $" + LeaseToken.ENV);
      }
      return Optional.empty();
    }
    if (profile != null) {
      throw new CliException(
          CliException.USAGE,
          "a lease names its own profile: give --lease-file FILE without PROFILE");
    }
    if (!parameters.values().isEmpty()) {
      throw new CliException(
          CliException.USAGE, "a lease fixes its own parameters: give no --param with it");
    }
    if (server.tokenFile().isPresent()) {
      throw new CliException(
          CliException.USAGE,
          "a lease mints with its own token, not a person's: give no --token-file with it");
    }
    return Optional.of(
        leaseFile != null ? LeaseToken.read(leaseFile) : LeaseToken.fromEnvironment(env).get());
  }

  /**
   * The server's answer; with no grant and a person at the terminal, after offering to request one
   * and waiting for its approval (everything said on the terminal, nothing on stdout).
   */
  private AwsCredentialSource.Fetched fetch(
      AwsCredentialSource source, Map<String, String> values) {
    try {
      return source.fetch(server, profile, values);
    } catch (CliException e) {
      if (!e.serverCode().filter("approval_required"::equals).isPresent()) {
        throw e;
      }
      Optional<Terminal> tty = Terminal.open(env.env(), noInput);
      if (tty.isEmpty()) {
        throw e;
      }
      Duration wait;
      try {
        wait = Durations.parse(waitTimeout);
      } catch (IllegalArgumentException bad) {
        throw new CliException(CliException.USAGE, "--wait-timeout: " + bad.getMessage());
      }
      try (Terminal t = tty.get()) {
        ApiClient api =
            new ApiClient(server.serverUrl(env), tokens.token(server), server.insecure());
        new RequestOnMiss(env, t, api, wait, POLL).run(profile, values);
      }
      return source.fetch(server, profile, values);
    }
  }
}
