package dev.stint.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitLab CI/CD component in {@code ci/gitlab} read as GitLab reads it: a {@code spec:} header
 * document, then one document of jobs; its inputs, with their defaults, are the ones docs/ci.md's
 * table lists.
 */
class GitlabComponentTest {
  private static final Path TEMPLATE = Path.of("ci/gitlab/templates/credentials.yml");
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void theTemplateIsAnInputsHeaderThenHiddenJobsOnly() throws IOException {
    List<JsonNode> documents = documents();
    assertThat(documents).hasSize(2);
    assertThat(names(documents.get(0))).containsExactly("spec");
    assertThat(names(documents.get(0).path("spec"))).containsExactly("inputs");
    assertThat(names(documents.get(1)))
        .as("a hidden job to extend, so the component adds no job of its own to a pipeline")
        .isNotEmpty()
        .allSatisfy(name -> assertThat(name).startsWith("."));
  }

  @Test
  void itsInputsAndTheirDefaultsAreTheOnesDocsCiMdLists() throws IOException {
    Map<String, String> declared = new LinkedHashMap<>();
    documents()
        .get(0)
        .path("spec")
        .path("inputs")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode value = e.getValue().get("default");
              declared.put(e.getKey(), value == null ? "(required)" : value.asText());
            });
    assertThat(declared).isEqualTo(documented());
  }

  @Test
  void everyInputIsUsedAndNoneIsSplicedIntoAScript() throws IOException {
    String body = Files.readString(TEMPLATE).split("\n---\n", 2)[1];
    for (String input : documented().keySet()) {
      assertThat(body).contains("$[[ inputs." + input + " ]]");
    }
    JsonNode jobs = documents().get(1);
    for (JsonNode job : jobs) {
      for (JsonNode line : job.path("before_script")) {
        assertThat(line.asText()).doesNotContain("$[[");
      }
    }
  }

  @Test
  void theNameInputNamesTheHiddenJobSoASecondIncludeForAnotherProfileKeepsItsOwn()
      throws IOException {
    String template = Files.readString(TEMPLATE);
    JsonNode first = GitlabRunner.component(template, YAML.readTree("{profile: aws-prod-deploy}"));
    JsonNode second =
        GitlabRunner.component(template, YAML.readTree("{profile: aws-audit, name: stint-audit}"));
    assertThat(names(first)).containsExactly(".stint-credentials");
    assertThat(names(second)).containsExactly(".stint-audit");
    assertThat(second.path(".stint-audit").path("variables").path("STINT_INPUT_PROFILE").asText())
        .isEqualTo("aws-audit");
  }

  @Test
  void aMissingProfileOrAWaitOtherThanTrueOrFalseIsRefusedAsGitlabWould() throws IOException {
    String template = Files.readString(TEMPLATE);
    assertThatThrownBy(() -> GitlabRunner.component(template, YAML.readTree("{server: x}")))
        .hasMessageContaining("the required input profile is missing");
    assertThatThrownBy(
            () -> GitlabRunner.component(template, YAML.readTree("{profile: p, wait: 'yes'}")))
        .hasMessageContaining("input wait is not one of");
  }

  @Test
  void theInstallUnpacksNoTarballWithoutItsChecksumOrWithAnotherOne(@TempDir Path dir)
      throws Exception {
    Path tarball = fakeTarball(dir);
    String sha =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tarball)));

    Install none = install(dir.resolve("none"), tarball, null);
    Install shortOne = install(dir.resolve("short"), tarball, sha.substring(1));
    Install upper = install(dir.resolve("upper"), tarball, sha.toUpperCase(Locale.ROOT));
    Install other = install(dir.resolve("other"), tarball, "0".repeat(64));
    Install right = install(dir.resolve("right"), tarball, sha);

    for (Install refused : List.of(none, shortOne, upper)) {
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.stderr()).contains("STINT_TARBALL_SHA256 must hold the tarball's SHA-256");
      assertThat(refused.unpacked()).isFalse();
    }
    assertThat(other.exit()).isEqualTo(1);
    assertThat(other.stderr()).contains("does not match STINT_TARBALL_SHA256");
    assertThat(other.unpacked()).as("nothing of it is left to run").isFalse();
    assertThat(right.exit()).as(right.stderr()).isZero();
    assertThat(right.unpacked()).isTrue();
  }

  /** What the install step left: its exit, its error output, and whether a stint was unpacked. */
  private record Install(int exit, String stderr, boolean unpacked) {}

  /** Runs the component's install step as a job's shell would, on an image without stint. */
  private static Install install(Path job, Path tarball, String sha) throws Exception {
    Path tmp = Files.createDirectories(job.resolve("tmp"));
    String step =
        documents().get(1).path(".$[[ inputs.name ]]").path("before_script").get(0).asText();
    ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-c", step);
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("TMPDIR", tmp.toString());
    pb.environment().put("STINT_TARBALL_URL", tarball.toUri().toString());
    if (sha != null) {
      pb.environment().put("STINT_TARBALL_SHA256", sha);
    }
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    boolean unpacked;
    try (Stream<Path> files = Files.walk(tmp)) {
      unpacked = files.anyMatch(f -> f.endsWith(Path.of("bin", "stint")));
    }
    return new Install(exit, stderr, unpacked);
  }

  /** A tarball shaped as make dist's: a top folder, then bin/stint. */
  private static Path fakeTarball(Path dir) throws Exception {
    Path top = Files.createDirectories(dir.resolve("src/stint-0.0.0/bin"));
    Files.writeString(top.resolve("stint"), "#!/bin/sh\necho stint\n");
    top.resolve("stint").toFile().setExecutable(true);
    Path tarball = dir.resolve("stint.tar.gz");
    Process tar =
        new ProcessBuilder(
                "tar",
                "-czf",
                tarball.toString(),
                "-C",
                dir.resolve("src").toString(),
                "stint-0.0.0")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    return tarball;
  }

  private static List<JsonNode> documents() throws IOException {
    return YAML.readValues(YAML.createParser(TEMPLATE.toFile()), JsonNode.class).readAll();
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /**
   * The rows of the input table in docs/ci.md's GitLab section: name to default, {@code empty} read
   * as the empty string and a value in backquotes as that value.
   */
  private static Map<String, String> documented() throws IOException {
    String doc = Files.readString(Path.of("docs/ci.md"));
    String section = doc.substring(doc.indexOf("\n## GitLab CI\n"));
    Matcher rows = Pattern.compile("\n\\| `([\\w-]+)` \\| ([^|]+?) \\|").matcher(section);
    Map<String, String> out = new LinkedHashMap<>();
    while (rows.find()) {
      String value = rows.group(2);
      out.put(rows.group(1), value.equals("empty") ? "" : value.replaceAll("^`(.*)`$", "$1"));
    }
    assertThat(out).as("docs/ci.md's table of the component's inputs").isNotEmpty();
    return out;
  }
}
