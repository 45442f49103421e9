package dev.stint.cli.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Runs a workflow job's steps the way GitHub's runner does, as far as docs/ci.md's snippets need:
 * {@code run:} steps in {@code bash --noprofile --norc -eo pipefail}, a fresh {@code $GITHUB_ENV}
 * and {@code $GITHUB_PATH} file per step whose lines later steps see, {@code ${{ … }}} expressions
 * from a fixed table (an unknown one fails the test), {@code actions/checkout} as a no-op and this
 * repository's {@code action.yml} as a composite action. The environment is built from nothing:
 * only what the runner would set, and {@code base} for what a hosted image has.
 */
public final class GithubRunner {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]*?)\\s*}}");

  /** One step as it ran: what it wrote to stdout and stderr, and its env file as written. */
  record StepRun(String name, int exitCode, String out, String err, String envFile) {}

  private final Path dir;
  private final Map<String, String> base;
  private final Map<String, String> expressions;
  private final UnaryOperator<String> rewrite;
  private final Map<String, String> exported = new LinkedHashMap<>();
  private final List<String> paths = new ArrayList<>();
  private int counter;

  /**
   * {@code base}: the job's environment before any step (PATH, the ID token variables); {@code
   * expressions}: the value of each {@code ${{ … }}} the workflow may use; {@code rewrite}: applied
   * to every value a step's {@code env:} or {@code with:} gives (the example server's URL for the
   * test server's).
   */
  GithubRunner(
      Path dir,
      Map<String, String> base,
      Map<String, String> expressions,
      UnaryOperator<String> rewrite) {
    this.dir = dir;
    this.base = base;
    this.expressions = expressions;
    this.rewrite = rewrite;
  }

  /** The YAML code blocks of a Markdown section (from its heading to the next {@code ## }). */
  static List<JsonNode> yamlBlocks(Path markdown, String heading) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String block : CiJobTools.yamlTexts(markdown, heading)) {
      out.add(YAML.readTree(block));
    }
    return out;
  }

  /** Runs the steps in order and stops after the first that fails, as the runner does. */
  List<StepRun> run(JsonNode steps) throws Exception {
    List<StepRun> runs = new ArrayList<>();
    for (JsonNode step : steps) {
      List<StepRun> ran = step(step);
      runs.addAll(ran);
      if (ran.stream().anyMatch(r -> r.exitCode() != 0)) {
        break;
      }
    }
    return runs;
  }

  private List<StepRun> step(JsonNode step) throws Exception {
    String name = step.path("name").asText(step.path("run").asText(step.path("uses").asText()));
    Map<String, String> env = values(step.path("env"), expressions);
    if (step.has("run")) {
      return List.of(script(name, step.path("run").asText(), env));
    }
    String uses = step.path("uses").asText();
    if (uses.startsWith("actions/checkout@")) {
      return List.of();
    }
    if (uses.matches("[\\w.-]+/stint@[\\w.-]+")) {
      int at = uses.indexOf('@');
      return composite(
          uses.substring(0, at), uses.substring(at + 1), values(step.path("with"), expressions));
    }
    throw new AssertionError("the emulated runner knows no action " + uses);
  }

  /**
   * This repository's action.yml, its inputs from {@code with:} or their defaults; {@code
   * repository} and {@code ref} are what the workflow took it from ({@code owner/name@ref}).
   */
  private List<StepRun> composite(String repository, String ref, Map<String, String> with)
      throws Exception {
    JsonNode action = YAML.readTree(Path.of("action.yml").toFile());
    Map<String, String> inputs = new HashMap<>();
    for (String given : with.keySet()) {
      if (!action.path("inputs").has(given)) {
        throw new AssertionError("action.yml has no input " + given);
      }
    }
    Iterator<Map.Entry<String, JsonNode>> declared = action.path("inputs").fields();
    while (declared.hasNext()) {
      Map.Entry<String, JsonNode> input = declared.next();
      String value = with.getOrDefault(input.getKey(), input.getValue().path("default").asText());
      if (value.isEmpty() && input.getValue().path("required").asBoolean()) {
        throw new AssertionError("the required input " + input.getKey() + " is missing");
      }
      inputs.put("inputs." + input.getKey(), value);
    }
    // As GitHub's runner does inside a composite action: github.action_repository empty, the
    // action's own folder in GITHUB_ACTION_PATH (_actions/OWNER/REPO/REF).
    inputs.put("github.action_repository", "");
    Path actionPath = dir.resolve("_actions/" + repository + "/" + ref);
    List<StepRun> runs = new ArrayList<>();
    for (JsonNode step : action.path("runs").path("steps")) {
      if (!step.path("shell").asText().equals("bash")) {
        throw new AssertionError("the emulated runner runs bash steps only");
      }
      StepRun run =
          script(
              step.path("name").asText(),
              step.path("run").asText(),
              withActionPath(values(step.path("env"), inputs), actionPath));
      runs.add(run);
      if (run.exitCode() != 0) {
        break;
      }
    }
    return runs;
  }

  private static Map<String, String> withActionPath(Map<String, String> env, Path actionPath) {
    Map<String, String> out = new LinkedHashMap<>(env);
    out.put("GITHUB_ACTION_PATH", actionPath.toString());
    return out;
  }

  private Map<String, String> values(JsonNode node, Map<String, String> context) {
    Map<String, String> out = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> out.put(e.getKey(), rewrite.apply(expand(e.getValue().asText(), context))));
    return out;
  }

  private static String expand(String text, Map<String, String> context) {
    return CiJobTools.substitute(
        EXPRESSION,
        text,
        context,
        name -> "the emulated runner has no value for ${{ " + name + " }}");
  }

  private StepRun script(String name, String run, Map<String, String> stepEnv) throws Exception {
    if (EXPRESSION.matcher(run).find()) {
      throw new AssertionError("an expression inside run: is spliced into the script: " + run);
    }
    int n = ++counter;
    Path script = dir.resolve("step-" + n + ".sh");
    Path envFile = dir.resolve("set_env_" + n);
    Path pathFile = dir.resolve("add_path_" + n);
    Files.writeString(script, run);
    Files.writeString(envFile, "");
    Files.writeString(pathFile, "");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", script.toString())
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("out-" + n).toFile())
            .redirectError(dir.resolve("err-" + n).toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(base);
    List<String> path = new ArrayList<>(paths);
    path.add(base.get("PATH"));
    env.put("PATH", String.join(":", path));
    env.putAll(exported);
    env.putAll(stepEnv);
    env.put("GITHUB_ENV", envFile.toString());
    env.put("GITHUB_PATH", pathFile.toString());
    Process process = builder.start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("step " + name + " did not finish");
    }
    String written = Files.readString(envFile);
    exported.putAll(envFile(written));
    // The runner puts each line of GITHUB_PATH before the PATH of every later step.
    Files.readAllLines(pathFile).stream().filter(l -> !l.isBlank()).forEach(l -> paths.add(0, l));
    return new StepRun(
        name,
        process.exitValue(),
        Files.readString(dir.resolve("out-" + n), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err-" + n), StandardCharsets.UTF_8),
        written);
  }

  /**
   * The runner's reading of a {@code $GITHUB_ENV} file (its Linux line splitting): {@code
   * NAME=value} to the end of the line, {@code NAME<<DELIMITER} up to a line equal to the
   * delimiter.
   */
  public static Map<String, String> envFile(String text) {
    Map<String, String> variables = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      int equals = line.indexOf('=');
      int heredoc = line.indexOf("<<");
      if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
        variables.put(line.substring(0, equals), line.substring(equals + 1));
        continue;
      }
      String delimiter = line.substring(heredoc + 2);
      StringBuilder value = new StringBuilder();
      int start = ++i;
      while (!lines[i].equals(delimiter)) {
        value.append(i > start ? "\n" : "").append(lines[i]);
        i++;
      }
      variables.put(line.substring(0, heredoc), value.toString());
    }
    return variables;
  }
}
