package dev.stint.cli;

import dev.stint.cli.CommandTable.Section;
import dev.stint.cli.access.ActivityCommand;
import dev.stint.cli.access.DecisionCommand;
import dev.stint.cli.access.ExtendCommand;
import dev.stint.cli.access.ExtensionsCommand;
import dev.stint.cli.access.ProfilesCommand;
import dev.stint.cli.access.RequestCommand;
import dev.stint.cli.access.RequestsCommand;
import dev.stint.cli.access.ShowCommand;
import dev.stint.cli.admin.AdminCommand;
import dev.stint.cli.admin.ReportCommand;
import dev.stint.cli.agent.AgentCommand;
import dev.stint.cli.agent.McpCommand;
import dev.stint.cli.audit.AuditCommand;
import dev.stint.cli.ci.ExchangeCommand;
import dev.stint.cli.completion.CompleteCommand;
import dev.stint.cli.completion.CompletionCommand;
import dev.stint.cli.credentials.ConsoleCommand;
import dev.stint.cli.credentials.CredentialsCommand;
import dev.stint.cli.credentials.EnvCommand;
import dev.stint.cli.finding.FindingsCommand;
import dev.stint.cli.lease.LeaseCommand;
import dev.stint.cli.login.LoginCommand;
import dev.stint.cli.login.LogoutCommand;
import dev.stint.cli.login.StoredLogin;
import dev.stint.cli.login.WhoamiCommand;
import dev.stint.cli.policy.PolicyCommand;
import dev.stint.cli.policy.PolicyExplainCommand;
import dev.stint.cli.policy.PolicyTestCommand;
import dev.stint.cli.profile.ProfileCommand;
import dev.stint.cli.review.AccessReviewCommand;
import dev.stint.cli.setup.SetupAwsCommand;
import dev.stint.cli.setup.SetupCommand;
import picocli.CommandLine;

/**
 * The commands an engineer, an approver, a pipeline and an auditor run: everything but the server's
 * own ({@code serve}, {@code keys}, {@code demo}), which {@code app.Main} adds. The client package
 * runs exactly this table.
 */
public final class CliCommands {
  private CliCommands() {}

  public static CommandTable table(CliEnvironment env) {
    // Every command that talks to the server takes its token from here: --token-file, then
    // STINT_TOKEN, then the stored login (refreshed when it is about to expire).
    TokenSource tokens = new TokenSource(env, new StoredLogin(env));
    ApiClients clients = new ApiClients(env, tokens);
    CommandTable table = new CommandTable(env, StintCommand::new);
    table
        .add("credentials", Section.DAILY, () -> new CredentialsCommand(env, tokens))
        .add("console", Section.DAILY, () -> new ConsoleCommand(env, tokens))
        .add("env", Section.DAILY, () -> new EnvCommand(env, tokens))
        .add("request", Section.DAILY, () -> new RequestCommand(clients))
        .add("requests", Section.DAILY, () -> new RequestsCommand(clients))
        .add("show", Section.DAILY, () -> new ShowCommand(clients))
        .add("activity", Section.DAILY, () -> new ActivityCommand(clients))
        .add("findings", Section.DAILY, () -> new FindingsCommand(clients))
        .add("extend", Section.DAILY, () -> new ExtendCommand(clients))
        .add("lease", Section.DAILY, () -> LeaseCommand.commandLine(clients))
        .add("agent", Section.DAILY, () -> AgentCommand.commandLine(clients))
        .add("mcp", Section.DAILY, () -> new McpCommand(env))
        .add("whoami", Section.DAILY, () -> new WhoamiCommand(env, tokens))
        .add("login", Section.DAILY, () -> new LoginCommand(env));
    for (DecisionCommand.Action action : DecisionCommand.Action.values()) {
      table.add(action.command(), Section.APPROVALS, () -> decision(clients, action));
    }
    return table
        .add("extensions", Section.APPROVALS, () -> new ExtensionsCommand(clients))
        .add("profiles", Section.APPROVALS, () -> new ProfilesCommand(clients))
        .add("access-review", Section.APPROVALS, () -> AccessReviewCommand.commandLine(clients))
        .add("setup", Section.SETUP, () -> setup(clients))
        .add("completion", Section.SETUP, () -> new CompletionCommand(env))
        // What the completion scripts run at a TAB (hidden): a stored login is used only while
        // it is valid, never refreshed, so a TAB never waits on the identity provider.
        .add(
            "__complete",
            Section.SETUP,
            () -> new CompleteCommand(env, new TokenSource(env, StoredLogin.withoutRefresh(env))))
        .add("logout", Section.SETUP, () -> new LogoutCommand(env))
        .add("exchange", Section.PIPELINES, () -> new ExchangeCommand(env, tokens))
        .add("policy", Section.POLICY_AND_AUDIT, () -> policy(env))
        .add("audit", Section.POLICY_AND_AUDIT, () -> AuditCommand.commandLine(env, tokens))
        .add("report", Section.POLICY_AND_AUDIT, () -> ReportCommand.commandLine(env, tokens))
        .add("profile", Section.POLICY_AND_AUDIT, () -> ProfileCommand.commandLine(clients))
        .add("admin", Section.OPERATORS, () -> AdminCommand.commandLine(env, tokens));
  }

  private static CommandLine decision(ApiClients clients, DecisionCommand.Action action) {
    CommandLine decision = new CommandLine(new DecisionCommand(clients, action));
    decision.getCommandSpec().usageMessage().description(action.description);
    if (action != DecisionCommand.Action.REVOKE) {
      // Only a revoke asks first; the others end nothing that is in use.
      decision.getCommandSpec().remove(decision.getCommandSpec().findOption("--yes"));
    }
    return decision;
  }

  private static CommandLine setup(ApiClients clients) {
    return new CommandLine(new SetupCommand()).addSubcommand("aws", new SetupAwsCommand(clients));
  }

  private static CommandLine policy(CliEnvironment env) {
    return new CommandLine(new PolicyCommand())
        .addSubcommand("check", new PolicyCommand.Check(env))
        .addSubcommand("explain", new PolicyExplainCommand(env))
        .addSubcommand("test", new PolicyTestCommand(env));
  }
}
