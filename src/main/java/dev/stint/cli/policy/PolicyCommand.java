package dev.stint.cli.policy;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyException;
import dev.stint.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

  /** {@code stint policy check [DIR]}. */
  @Command(
      name = "check",
      description = "Validate a policy directory; list every problem.",
      mixinStandardHelpOptions = true)
  public static final class Check implements Callable<Integer> {
    private final CliEnvironment env;

    @Parameters(
        index = "0",
        arity = "0..1",
        defaultValue = "policies",
        description = "policy directory (default: ${DEFAULT-VALUE})")
    Path dir;

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
      return 0;
    }
  }
}
