package dev.stint.cli.setup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.ApiClient;
import dev.stint.cli.ApiClients;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ServerOptions;
import dev.stint.cli.ShellWords;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stint setup aws}: one {@code [profile NAME]} per AWS profile the caller may request, each
 * answering through {@code credential_process = <this stint> credentials NAME --server URL} (a
 * narrowed profile: one per active grant, see {@link NarrowedGrants}); an IAM Identity Center
 * profile instead signs in through {@code [sso-session stint]}, the server's access portal ({@link
 * SsoProfiles}). Written into the block of {@code $AWS_CONFIG_FILE} that stint owns, after showing
 * the diff.
 */
@Command(
    name = "aws",
    description = {
      "Write a [profile NAME] for every AWS profile you may request into ~/.aws/config"
          + " ($AWS_CONFIG_FILE), inside a block stint owns; shows the diff first.",
      "A narrowed profile gets one [profile PROFILE.VALUE] per active grant you hold on it,"
          + " passing the grant's values as --param.",
      "An IAM Identity Center profile gets [profile NAME] with sso_session = stint, and"
          + " [sso-session stint] names the server's AWS access portal (aws sso login).",
      "Run it again after new profiles appear: only the block is replaced, a backup is kept."
    })
public final class SetupAwsCommand implements Callable<Integer> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]*");

  @Mixin ServerOptions server = new ServerOptions();

  @Option(names = "--dry-run", description = "Print the diff and write nothing.")
  boolean dryRun;

  @Option(
      names = "--prefix",
      paramLabel = "P",
      description =
          "Put P before every AWS profile name"
              + " (stint's profile aws-prod becomes [profile Paws-prod]).")
  String prefix = "";

  @Option(
      names = "--region",
      paramLabel = "R",
      description =
          "Write region = R in every profile (default: each profile's own region from the"
              + " policy, when it names one).")
  String region;

  @Option(
      names = {"-y", "--yes"},
      description = "Write without asking (scripts, no terminal).")
  boolean yes;

  private final ApiClients clients;

  public SetupAwsCommand(ApiClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() {
    CliEnvironment env = clients.env();
    PrintStream out = env.out();
    if (!NAME.matcher(prefix).matches() || region != null && !NAME.matcher(region).matches()) {
      throw new CliException(
          CliException.USAGE,
          "--prefix and --region may hold only letters, digits, '.', '_' and '-'");
    }
    String command = installedCommand(env);
    URI serverUrl = server.serverUrl(env);
    SsoProfiles sso = new SsoProfiles(out);
    List<AwsConfigBlock.Entry> entries = entries(command, serverUrl, sso);
    Path config = configFile(env);
    String before = read(config);
    List<String> names = new ArrayList<>();
    entries.forEach(e -> names.add(e.awsProfile()));
    sso.entries().forEach(e -> names.add(e.awsProfile()));
    sso.session().ifPresent(s -> names.add(s.section()));
    unique(names);
    int count = names.size() - sso.session().map(s -> 1).orElse(0);
    AwsConfigBlock.Change change;
    try {
      change =
          AwsConfigBlock.apply(
              before,
              AwsConfigBlock.render(serverUrl.toString(), entries, sso.session(), sso.entries()),
              names);
    } catch (AwsConfigBlock.Refused e) {
      throw new CliException(CliException.FAILED, config + ": " + e.getMessage());
    }
    if (!change.changed()) {
      out.println(config + " is up to date (" + count + " stint profile(s)).");
      return 0;
    }
    out.println("--- " + config);
    out.println("+++ " + config + " (stint setup aws)");
    AwsConfigBlock.diff(change.oldBlock(), change.newBlock()).forEach(out::println);
    if (dryRun) {
      out.println("Dry run: nothing written.");
      return 0;
    }
    if (!yes && !confirmed(config)) {
      return CliException.USAGE;
    }
    Optional<Path> backup = ConfigFiles.replace(config, change.before(), change.after());
    written(out, count + " profile(s) to " + config, backup, entries, sso);
    return 0;
  }

  /** What was written, and how to try it. */
  private static void written(
      PrintStream out,
      String what,
      Optional<Path> backup,
      List<AwsConfigBlock.Entry> entries,
      SsoProfiles sso) {
    out.println(
        "Wrote " + what + backup.map(b -> " (the previous file is in " + b + ")").orElse("") + ".");
    if (!entries.isEmpty()) {
      out.println("Try: aws sts get-caller-identity --profile " + entries.get(0).awsProfile());
    }
    if (!sso.entries().isEmpty()) {
      out.println(
          "IAM Identity Center profiles sign in through the access portal: once a grant is"
              + " active, run aws sso login --sso-session "
              + SsoProfiles.SESSION
              + ", then aws sts get-caller-identity --profile "
              + sso.entries().get(0).awsProfile());
    }
  }

  private boolean confirmed(Path config) {
    Console console = System.console();
    if (console == null) {
      clients
          .env()
          .err()
          .println(
              "stint: no terminal to ask on: run 'stint setup aws --yes' to"
                  + " write this to "
                  + config
                  + " (or --dry-run to only see it)");
      return false;
    }
    String answer = console.readLine("Write this to %s? [y/N] ", config);
    if (answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
      return true;
    }
    clients.env().err().println("stint: nothing written");
    return false;
  }

  /**
   * One entry per AWS profile the caller may request; for a narrowed profile, one per active grant
   * the caller holds on it instead (its credentials answer only with a grant's values), and a note
   * on stdout for each narrowed profile with none yet.
   */
  private List<AwsConfigBlock.Entry> entries(String command, URI serverUrl, SsoProfiles sso) {
    ApiClient api = clients.open(server);
    JsonNode profiles = api.get("/v1/profiles", Map.of()).body().path("profiles");
    List<AwsConfigBlock.Entry> entries = new ArrayList<>();
    Map<String, List<SortedMap<String, String>>> granted = null;
    for (JsonNode profile : profiles) {
      String name = profile.path("name").asText("");
      if (!"aws".equals(profile.path("cloud").asText())
          || !NAME.matcher(name).matches()
          || name.isEmpty()) {
        continue;
      }
      if (sso.take(prefix + name, profile, region(profile))) {
        continue;
      }
      if (profile.path("parameters").isEmpty()) {
        entries.add(
            new AwsConfigBlock.Entry(
                prefix + name, process(command, name, Map.of(), serverUrl), region(profile)));
        continue;
      }
      granted = granted == null ? NarrowedGrants.active(api) : granted;
      List<SortedMap<String, String>> grants = granted.getOrDefault(name, List.of());
      for (SortedMap<String, String> values : grants) {
        entries.add(
            new AwsConfigBlock.Entry(
                prefix + NarrowedGrants.awsProfile(name, values),
                process(command, name, values, serverUrl),
                region(profile)));
      }
      if (grants.isEmpty()) {
        clients
            .env()
            .out()
            .println(
                "Skipped narrowed profile "
                    + name
                    + ": you hold no active grant on it. Once 'stint request "
                    + name
                    + " --param NAME=VALUE …' is approved, run stint setup aws again.");
      }
    }
    return entries;
  }

  /** {@code <stint> credentials NAME [--param N=V]… --server URL}, each word shell-quoted. */
  private static String process(
      String command, String name, Map<String, String> values, URI serverUrl) {
    return ShellWords.quote(command)
        + " credentials "
        + name
        + ShellWords.paramFlags(values)
        + " --server "
        + ShellWords.quote(serverUrl.toString());
  }

  /** Refuses two sections of one name (a profile named like another's grant): one would be lost. */
  private static void unique(List<String> names) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new CliException(
            CliException.FAILED,
            "two AWS profiles would be named "
                + name
                + " (a profile and a narrowed grant's); choose names with --prefix or ask for"
                + " the profile to be renamed");
      }
    }
  }

  private Optional<String> region(JsonNode profile) {
    return region(Optional.ofNullable(region), profile);
  }

  /**
   * The region a written profile carries: {@code given} ({@code --region}) when there is one, else
   * the stint profile's own region from {@code GET /v1/profiles} (its policy's {@code region}): AWS
   * tools reading the profile need one, and only stint knows which the profile's role is meant for.
   * A region that could not be written safely as a config value is left out, as a profile without
   * one is. {@code stint lease create --aws-profile} writes its profiles by the same rule.
   */
  public static Optional<String> region(Optional<String> given, JsonNode profile) {
    if (given.isPresent()) {
      return given;
    }
    String own = profile.path("region").asText("");
    return isConfigWord(own) ? Optional.of(own) : Optional.empty();
  }

  /** Whether {@code value} may be written into the AWS config as it is: a name, a region. */
  public static boolean isConfigWord(String value) {
    return !value.isEmpty() && NAME.matcher(value).matches();
  }

  /**
   * The absolute path of the stint that runs this command, which the launcher passes in {@code
   * STINT_COMMAND}: AWS tools start it without a shell, so it must not depend on PATH.
   */
  public static String installedCommand(CliEnvironment env) {
    Optional<String> command = env.get("STINT_COMMAND");
    if (command.isEmpty() || !Path.of(command.get()).isAbsolute()) {
      throw new CliException(
          CliException.USAGE,
          "cannot tell where stint is installed: run"
              + " this through the stint launcher (bin/stint), or set STINT_COMMAND to its absolute path");
    }
    return command.get();
  }

  /**
   * {@code $AWS_CONFIG_FILE} (a leading {@code ~} means the home directory), else ~/.aws/config.
   */
  public static Path configFile(CliEnvironment env) {
    Optional<String> set = env.get("AWS_CONFIG_FILE");
    if (set.isEmpty()) {
      return env.home().resolve(".aws").resolve("config");
    }
    String path = set.get();
    if (path.equals("~") || path.startsWith("~/")) {
      return env.home().resolve(path.substring(Math.min(2, path.length())));
    }
    return Path.of(path).toAbsolutePath();
  }

  private static String read(Path config) {
    try {
      return Files.exists(config) ? Files.readString(config) : "";
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot read " + config + ": " + e.getMessage());
    }
  }
}
