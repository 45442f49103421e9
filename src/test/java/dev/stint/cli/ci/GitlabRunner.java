package dev.stint.cli.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a GitLab CI job the way GitLab and its shell executor do, as far as docs/ci.md's snippets
 * need: {@code include: component} resolved to this repository's {@code ci/gitlab/templates}, its
 * {@code $[[ inputs.… ]]} filled from {@code include: inputs} or the defaults; {@code extends}
 * merged (hashes deeply, anything else replaced) and {@code !reference} lists spliced in; an ID
 * token in each variable named under {@code id_tokens:}, addressed to its {@code aud}; and the
 * job's {@code before_script} and {@code script} lines run in one {@code sh} that stops at the
 * first failing line, each line echoed into the job log before it runs, stdout and stderr both into
 * that log. The environment is built from nothing: the {@code CI_*} variables given, the job's
 * {@code variables:} and its tokens.
 */
final class GitlabRunner {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern INPUT = Pattern.compile("\\$\\[\\[\\s*inputs\\.([\\w-]+)\\s*]]");
  private static final Pattern COMPONENT = Pattern.compile("[^\\s@]+/([\\w-]+)@[\\w.-]+");
  private static final String REFERENCE = "!reference";

  /** The job as it ran: its exit status and its log. */
  record JobRun(int exitCode, String log) {}

  /** GitLab's issuer: an ID token for this audience, with claims from these CI variables. */
  interface IdTokens {
    String mint(String audience, Map<String, String> ci);
  }

  private final Path dir;
  private final IdTokens tokens;
  private final UnaryOperator<String> rewrite;

  /**
   * {@code rewrite}: applied to every value of the job's {@code variables:} and every script line
   * (the example server's URL for the test server's).
   */
  GitlabRunner(Path dir, IdTokens tokens, UnaryOperator<String> rewrite) {
    this.dir = dir;
    this.tokens = tokens;
    this.rewrite = rewrite;
  }

  /**
   * A snippet as GitLab reads it. Jackson drops YAML tags, so {@code !reference [a, b]} is kept as
   * the list {@code ["!reference", a, b]} for {@link #job} to resolve.
   */
  static ObjectNode parse(String yaml) throws IOException {
    return (ObjectNode) YAML.readTree(yaml.replace(REFERENCE + " [", "[\"" + REFERENCE + "\", "));
  }

  /** The pipeline's configuration with its {@code include: component} entries merged in. */
  static ObjectNode withIncludes(ObjectNode snippet) throws IOException {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    for (JsonNode include : snippet.path("include")) {
      Matcher component = COMPONENT.matcher(include.path("component").asText());
      if (!component.matches()) {
        throw new AssertionError("the emulated GitLab includes components only: " + include);
      }
      Path template = Path.of("ci/gitlab/templates", component.group(1) + ".yml");
      if (!Files.exists(template)) {
        throw new AssertionError("ci/gitlab has no component " + component.group(1));
      }
      config.setAll(component(Files.readString(template), include.path("inputs")));
    }
    snippet.fields().forEachRemaining(e -> config.set(e.getKey(), e.getValue()));
    config.remove("include");
    return config;
  }

  /**
   * A component's jobs: its header's inputs from {@code given} or their defaults (a required one
   * missing, an unknown one given, or a value outside {@code options} fails), interpolated into
   * every string and key of its body.
   */
  static ObjectNode component(String template, JsonNode given) throws IOException {
    String[] documents = template.split("\n---\n", 2);
    JsonNode spec = YAML.readTree(documents[0]).path("spec").path("inputs");
    given
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!spec.has(name)) {
                throw new AssertionError("the component has no input " + name);
              }
            });
    Map<String, String> inputs = new LinkedHashMap<>();
    spec.fields()
        .forEachRemaining(
            e -> {
              JsonNode value =
                  given.has(e.getKey()) ? given.get(e.getKey()) : e.getValue().get("default");
              if (value == null) {
                throw new AssertionError("the required input " + e.getKey() + " is missing");
              }
              JsonNode options = e.getValue().path("options");
              boolean listed = !options.isArray();
              for (JsonNode option : options) {
                listed |= option.asText().equals(value.asText());
              }
              if (!listed) {
                throw new AssertionError("input " + e.getKey() + " is not one of " + options);
              }
              inputs.put(e.getKey(), value.asText());
            });
    return (ObjectNode) interpolate(parse(documents[1]), inputs);
  }

  private static JsonNode interpolate(JsonNode node, Map<String, String> inputs) {
    if (node.isTextual()) {
      return TextNode.valueOf(interpolate(node.asText(), inputs));
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> out.add(interpolate(item, inputs)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      node.fields()
          .forEachRemaining(
              e -> out.set(interpolate(e.getKey(), inputs), interpolate(e.getValue(), inputs)));
      return out;
    }
    return node;
  }

  private static String interpolate(String text, Map<String, String> inputs) {
    return CiJobTools.substitute(INPUT, text, inputs, name -> "no input " + name + " for " + text);
  }

  /**
   * The job {@code name} of the pipeline, its {@code extends} merged and its references spliced.
   */
  static ObjectNode job(ObjectNode pipeline, String name) {
    JsonNode declared = pipeline.get(name);
    if (declared == null) {
      throw new AssertionError("the pipeline has no job " + name);
    }
    ObjectNode job = JsonNodeFactory.instance.objectNode();
    JsonNode parents = declared.path("extends");
    for (JsonNode parent : parents.isArray() ? parents : List.of(parents)) {
      if (!parent.isMissingNode()) {
        merge(job, job(pipeline, parent.asText()));
      }
    }
    merge(job, declared.deepCopy());
    job.remove("extends");
    for (String key : List.of("before_script", "script")) {
      if (job.has(key)) {
        job.set(key, lines(pipeline, job.get(key)));
      }
    }
    return job;
  }

  private static void merge(ObjectNode into, ObjectNode from) {
    from.fields()
        .forEachRemaining(
            e -> {
              JsonNode mine = into.get(e.getKey());
              if (mine != null && mine.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) mine, (ObjectNode) e.getValue());
              } else {
                into.set(e.getKey(), e.getValue());
              }
            });
  }

  /** Script lines flattened, as GitLab flattens nested lists, with each reference resolved. */
  private static ArrayNode lines(ObjectNode pipeline, JsonNode script) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    if (!script.isArray()) {
      return out.add(script.asText());
    }
    if (script.size() > 0 && script.get(0).asText().equals(REFERENCE)) {
      JsonNode target = job(pipeline, script.get(1).asText());
      for (int i = 2; i < script.size(); i++) {
        target = target.path(script.get(i).asText());
      }
      if (target.isMissingNode()) {
        throw new AssertionError("nothing at " + script);
      }
      return lines(pipeline, target);
    }
    script.forEach(item -> out.addAll(lines(pipeline, item)));
    return out;
  }

  /**
   * Runs the job. {@code ci}: GitLab's predefined variables and what the image's environment has
   * ({@code PATH}, {@code HOME}). The job's {@code rules:} are not consulted: it runs as if they
   * let it, as they do for whoever edits them on a branch.
   */
  JobRun run(ObjectNode job, Map<String, String> ci) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(ci);
    job.path("variables")
        .fields()
        .forEachRemaining(e -> env.put(e.getKey(), rewrite.apply(e.getValue().asText())));
    Iterator<Map.Entry<String, JsonNode>> ids = job.path("id_tokens").fields();
    while (ids.hasNext()) {
      Map.Entry<String, JsonNode> id = ids.next();
      env.put(id.getKey(), tokens.mint(id.getValue().path("aud").asText(), ci));
    }
    List<String> lines = new ArrayList<>();
    job.path("before_script").forEach(l -> lines.add(rewrite.apply(l.asText())));
    job.path("script").forEach(l -> lines.add(rewrite.apply(l.asText())));
    Path script = dir.resolve("job.sh");
    Files.writeString(script, shell(lines));
    Path log = dir.resolve("job.log");
    ProcessBuilder builder =
        new ProcessBuilder("sh", script.toString())
            .directory(Files.createDirectories(dir.resolve("project")).toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the job did not finish");
    }
    return new JobRun(process.exitValue(), Files.readString(log));
  }

  /**
   * The script GitLab's shell executor would run: errexit (and pipefail where the shell has it),
   * then each line echoed as {@code $ line} (the first line of a block) and run.
   */
  private static String shell(List<String> lines) {
    StringBuilder out = new StringBuilder();
    out.append("if set -o | grep pipefail > /dev/null; then set -o pipefail; fi\n");
    out.append("set -o errexit\n");
    for (String line : lines) {
      String shown = "$ " + line.lines().findFirst().orElse("");
      out.append("printf '%s\\n' '").append(shown.replace("'", "'\\''")).append("'\n");
      out.append(line).append('\n');
    }
    return out.toString();
  }
}
