package dev.stint.cli.policy;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.identity.IssuerUse;
import dev.stint.identity.PlaceholderIssuers;
import dev.stint.policy.IssuerConfig;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyException;
import dev.stint.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stint policy check|explain|test}: policy as code, checked and tested offline. */
@Command(
    name = "policy",
    description = "Check, explain and test policy files (offline).",
    mixinStandardHelpOptions = true)
public final class PolicyCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Loads a policy directory, or fails listing every problem on stderr. */
  static Policy load(CliEnvironment env, Path dir) {
    try {
      return new PolicyLoader().load(dir);
    } catch (PolicyException e) {
      e.problems().forEach(p -> env.err().println(p));
      throw new CliException(
          CliException.FAILED, dir + ": " + e.problems().size() + " policy problem(s)");
    }
  }

  /** {@code stint policy check [DIR] [--require-identity-provider]}. */
  @Command(
      name = "check",
      description = "Validate a policy directory; list every problem.",
      mixinStandardHelpOptions = true)
  public static final class Check implements Callable<Integer> {
    /** The exit code of a valid policy whose people's issuers are placeholders only. */
    public static final int NO_IDENTITY_PROVIDER = CliException.REFUSED;

    private final CliEnvironment env;

    @Parameters(
        index = "0",
        arity = "0..1",
        defaultValue = "policies",
        description = "policy directory (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(
        names = "--require-identity-provider",
        description = {
          "Also refuse (exit 3) a policy whose issuers for people are all placeholders",
          "(example.com, example.net, example.org, .invalid), where nobody can sign in."
        })
    boolean requireIdentityProvider;

    public Check(CliEnvironment env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      Policy policy = load(env, dir);
      env.out()
          .printf(
              "%s: ok (%d file(s), %d issuer(s), %d profile(s), %d CI rule(s))%n",
              dir,
              policy.files().size(),
              policy.issuers().size(),
              policy.profiles().size(),
              policy.ci().size());
      List<IssuerConfig> placeholders = placeholdersOnly(policy);
      if (requireIdentityProvider && !placeholders.isEmpty()) {
        throw new CliException(
            NO_IDENTITY_PROVIDER,
            dir
                + ": no identity provider: "
                + String.join(
                    ", ",
                    placeholders.stream().map(i -> i.name() + " (" + i.issuerUrl() + ")").toList())
                + (placeholders.size() == 1 ? " is a placeholder" : " are placeholders")
                + "; set issuers.NAME.issuer to your IdP (docs/configuration.md, \"Your identity"
                + " provider\")");
      }
      return 0;
    }

    /**
     * The issuers for people when every one of them is a placeholder; empty when one is real, or
     * when the policy has none (a policy for CI alone, or none yet, is not a placeholder's).
     */
    static List<IssuerConfig> placeholdersOnly(Policy policy) {
      List<IssuerConfig> people =
          policy.issuers().values().stream()
              .filter(i -> i.uses().contains(IssuerUse.PEOPLE))
              .toList();
      return people.stream().allMatch(i -> PlaceholderIssuers.isPlaceholder(i.issuerUrl()))
          ? people
          : List.of();
    }
  }
}
