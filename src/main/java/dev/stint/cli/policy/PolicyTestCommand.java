package dev.stint.cli.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.policy.PolicyQuestions.Action;
import dev.stint.common.Durations;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.policy.Decision;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
import dev.stint.policy.YamlSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stint policy test DIR}: runs the cases of every {@code *.yaml} file in DIR against a
 * policy directory and prints one line per case; exit 1 when any case fails.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = "Run policy test cases (YAML) against a policy directory.")
public final class PolicyTestCommand implements Callable<Integer> {
  private static final Set<String> CASE_KEYS =
      Set.of(
          "name",
          "issuer",
          "claims",
          "profile",
          "action",
          "at",
          "duration",
          "reason",
          "break_glass",
          "requester",
          "age",
          "stage",
          "expect",
          "expect_reason",
          "facts");
  private static final Set<String> REQUESTER_KEYS = Set.of("sub", "email", "issuer");
  private final CliEnvironment env;

  @Parameters(index = "0", description = "directory of test files")
  Path dir;

  @Option(names = "--policies", description = "policy directory (default: the parent of DIR)")
  Path policies;

  public PolicyTestCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    Path policyDir =
        policies != null
            ? policies
            : Optional.ofNullable(dir.toAbsolutePath().normalize().getParent()).orElse(dir);
    PolicyQuestions questions = new PolicyQuestions(PolicyCommand.load(env, policyDir));
    int passed = 0;
    int failed = 0;
    for (Path file : testFiles()) {
      for (JsonNode c : cases(file)) {
        String name = file.getFileName() + ": " + c.path("name").asText("(unnamed case)");
        Optional<String> failure = run(questions, c);
        if (failure.isEmpty()) {
          passed++;
          env.out().println("PASS " + name);
        } else {
          failed++;
          env.out().println("FAIL " + name + ": " + failure.get());
        }
      }
    }
    env.out().printf("%d passed, %d failed%n", passed, failed);
    if (passed + failed == 0) {
      throw new CliException(CliException.FAILED, dir + ": no test cases found");
    }
    return failed == 0 ? 0 : CliException.FAILED;
  }

  private List<Path> testFiles() {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new CliException(
          CliException.USAGE, dir + ": cannot list test files: " + e.getMessage());
    }
  }

  private static List<JsonNode> cases(Path file) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      if (root == null || !root.path("cases").isArray()) {
        throw new CliException(CliException.FAILED, file + ": expected a top-level 'cases:' list");
      }
      List<JsonNode> out = new ArrayList<>();
      root.get("cases").forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, YamlSyntax.describe(file.toString(), e));
    }
  }

  /** Empty when the case passes; otherwise what went wrong. */
  private Optional<String> run(PolicyQuestions questions, JsonNode c) {
    try {
      List<String> unknown = new ArrayList<>();
      c.fieldNames()
          .forEachRemaining(
              k -> {
                if (!CASE_KEYS.contains(k)) {
                  unknown.add(k);
                }
              });
      if (!unknown.isEmpty()) {
        return Optional.of("unknown key(s) " + unknown);
      }
      String expect = text(c, "expect").orElse("");
      if (!expect.equals("allow") && !expect.equals("deny")) {
        return Optional.of("expect must be allow or deny");
      }
      Decision d = decide(questions, c);
      if (d.allowed() != expect.equals("allow")) {
        return Optional.of(
            "expected "
                + expect
                + ", got "
                + (d.allowed() ? "allow" : "deny")
                + " ("
                + d.reason()
                + ")");
      }
      Optional<String> reason = text(c, "expect_reason");
      if (reason.isPresent() && !d.reason().contains(reason.get())) {
        return Optional.of("reason '" + d.reason() + "' does not contain '" + reason.get() + "'");
      }
      return Optional.empty();
    } catch (CliException | IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private Decision decide(PolicyQuestions questions, JsonNode c) {
    Action action =
        Action.of(
            text(c, "action")
                .orElseThrow(() -> new IllegalArgumentException("action is required")));
    if (!c.path("claims").isObject()) {
      throw new IllegalArgumentException("claims must be a mapping");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> claims = new ObjectMapper().convertValue(c.get("claims"), Map.class);
    Principal p = questions.principal(text(c, "issuer"), claims);
    String profile = text(c, "profile").orElse("");
    Instant now = PolicyExplainCommand.instant(text(c, "at").orElse(null), env);
    FactValues given =
        c.has("facts") ? PolicyFactFixtures.parse(c.get("facts"), "fixture") : FactValues.NONE;
    FactNeeds missing = questions.needs(action, profile).without(given.held());
    if (!missing.none()) {
      throw new IllegalArgumentException(
          "this decision reads facts the case does not give: "
              + FactValues.unavailable(missing, "not given").describe(missing)
              + "; give them under facts: (oncall: {SCHEDULE_ID: true}, ticket: {...},"
              + " fact: {NAME: true} or {NAME: {ARGUMENT: true}})");
    }
    var facts =
        questions
            .facts(
                profile,
                text(c, "duration"),
                text(c, "reason"),
                c.path("break_glass").asBoolean(false))
            .withFacts(given);
    Person requester =
        c.has("requester") ? requester(questions, p, c.get("requester")) : PolicyQuestions.OTHER;
    Duration age = text(c, "age").map(Durations::parse).orElse(Duration.ZERO);
    if (age.isNegative()) {
      throw new IllegalArgumentException("age must not be negative");
    }
    return questions.ask(
        action,
        p,
        new PolicyQuestions.Question(profile, facts, requester, age, text(c, "stage")),
        now);
  }

  /** {@code requester: {sub, email, issuer}}: who made the request the case asks about. */
  private static Person requester(PolicyQuestions questions, Principal p, JsonNode r) {
    if (!r.isObject() || !r.hasNonNull("sub")) {
      throw new IllegalArgumentException("requester must be a mapping with at least sub");
    }
    List<String> unknown = new ArrayList<>();
    r.fieldNames()
        .forEachRemaining(
            k -> {
              if (!REQUESTER_KEYS.contains(k)) {
                unknown.add(k);
              }
            });
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown requester key(s) " + unknown);
    }
    return questions.requester(p, text(r, "issuer"), r.get("sub").asText(), text(r, "email"));
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }
}
