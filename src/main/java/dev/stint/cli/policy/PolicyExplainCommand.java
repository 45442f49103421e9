package dev.stint.cli.policy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.policy.PolicyQuestions.Action;
import dev.stint.identity.Principal;
import dev.stint.policy.Decision;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestFacts;
import dev.stint.policy.Stage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint policy explain PROFILE --claims claims.json}: what a token with these claims may do
 * with the profile, and why.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = "Explain what a token's claims allow for a profile, and why.")
public final class PolicyExplainCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Parameters(index = "0", description = "profile name")
  String profile;

  @Option(names = "--claims", required = true, description = "JSON (or YAML) file of token claims")
  Path claims;

  @Option(
      names = "--issuer",
      description = "issuer name (default: the one whose URL is the claims' iss)")
  String issuer;

  @Option(names = "--at", description = "evaluate at this ISO-8601 time (default: now)")
  String at;

  @Option(
      names = "--dir",
      defaultValue = "policies",
      description = "policy directory (default: ${DEFAULT-VALUE})")
  Path dir;

  @Option(names = "--duration", description = "requested duration (default: the profile's maximum)")
  String duration;

  @Option(names = "--reason", description = "the request's reason")
  String reason;

  @Option(names = "--break-glass", description = "ask as a break-glass request")
  boolean breakGlass;

  @Option(
      names = "--facts",
      description =
          "YAML (or JSON) file of facts, as in policy test cases: {oncall: {SCHEDULE_ID: true},"
              + " ticket: {exists: true, status_category: indeterminate}}; facts not given are"
              + " false")
  Path factsFile;

  @Option(
      names = "--directory-groups",
      split = ",",
      paramLabel = "GROUP",
      description =
          "the groups the directory gives this person (stint whoami shows them), in place of"
              + " the token's, as the server does for a person the directory knows; give it empty"
              + " (--directory-groups=) for a person the directory knows with no groups")
  List<String> directoryGroups;

  public PolicyExplainCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    Policy policy = PolicyCommand.load(env, dir);
    PolicyQuestions questions = new PolicyQuestions(policy);
    Principal token = questions.principal(Optional.ofNullable(issuer), readClaims(claims));
    Principal p =
        directoryGroups == null
            ? token
            : token.withDirectoryGroups(
                directoryGroups.stream().filter(g -> !g.isBlank()).toList());
    Profile target = questions.profile(profile);
    Instant now = instant(at, env);
    FactValues given = factsFile == null ? FactValues.NONE : readFacts(factsFile);
    RequestFacts facts = facts(questions).withFacts(given);
    PolicyQuestions.Question ask =
        new PolicyQuestions.Question(profile, facts, PolicyQuestions.OTHER);
    env.out()
        .printf(
            "principal: %s (issuer %s, subject %s), groups: %s (%s)%n",
            p.display(),
            p.issuerName(),
            p.subject(),
            p.groups().isEmpty() ? "none" : String.join(", ", p.groups()),
            p.groupsFrom() == Principal.GroupsFrom.DIRECTORY
                ? "from the directory, in place of the token's"
                : "from the token");
    env.out()
        .printf(
            "profile:   %s (%s %s)%n",
            target.name(), target.target().cloud(), target.target().describe());
    env.out().printf("at:        %s%n", now);
    env.out()
        .println(
            "(see, approve, deny, cancel, revoke, review and extend are asked about"
                + " someone else's request)");
    for (Action action : Action.values()) {
      List<String> stages = stagesAsked(action, target);
      for (String stage : stages) {
        PolicyQuestions.Question asked = stage.isEmpty() ? ask : ask.inStage(stage);
        Decision d = questions.ask(action, p, asked, now);
        String what = action.code() + (stage.isEmpty() ? "" : " " + stage);
        env.out().printf("  %-13s %-5s %s%n", what, d.allowed() ? "ALLOW" : "DENY", d.reason());
      }
      FactNeeds read = questions.needs(action, profile);
      if (!read.none() && !stages.isEmpty()) {
        FactNeeds missing = read.without(given.held());
        env.out()
            .printf(
                "  %-13s       facts read: %s%n",
                "", given.with(FactValues.unavailable(missing, "not given")).describe(read));
      }
    }
    return 0;
  }

  /**
   * The stages an action is asked about, by name: each stage for approve, deny and skip when the
   * approval has stages (skip only those with a skip_if), none for the rest ({@code ""}: ask once).
   */
  private static List<String> stagesAsked(Action action, Profile target) {
    boolean staged = !target.approval().single();
    return switch (action) {
      case APPROVE, DENY ->
          staged ? target.approval().stages().stream().map(Stage::name).toList() : List.of("");
      case SKIP ->
          target.approval().stages().stream()
              .filter(s -> s.skipIf().isPresent())
              .map(Stage::name)
              .toList();
      default -> List.of("");
    };
  }

  private static FactValues readFacts(Path file) {
    try {
      return PolicyFactFixtures.parse(
          new ObjectMapper(new YAMLFactory()).readTree(file.toFile()), "given");
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(
          CliException.USAGE,
          file + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }

  private RequestFacts facts(PolicyQuestions questions) {
    try {
      return questions.facts(
          profile, Optional.ofNullable(duration), Optional.ofNullable(reason), breakGlass);
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, "--duration: " + e.getMessage());
    }
  }

  static Map<String, Object> readClaims(Path file) {
    try {
      return new ObjectMapper(new YAMLFactory())
          .readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new CliException(
          CliException.USAGE,
          file
              + ": not a JSON object of claims: "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }

  static Instant instant(String text, CliEnvironment env) {
    if (text == null) {
      return env.clock().instant();
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new CliException(
          CliException.USAGE,
          "--at: expected an ISO-8601 time such as " + "2026-01-31T09:00:00Z, got '" + text + "'");
    }
  }
}
