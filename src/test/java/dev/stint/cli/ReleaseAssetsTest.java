package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stint.cli.ci.CiJobTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release's assets (packaging/release-assets.sh, run by .github/workflows/release.yml): every
 * archive make dist builds, a SHA256SUMS that checks them, and notes whose lines pin the release in
 * CI as the Action and the GitLab component take them.
 */
class ReleaseAssetsTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final List<String> ASSETS =
      List.of(
          "stint-1.2.3-linux-x64.tar.gz",
          "stint_1.2.3_amd64.deb",
          "stint-cli-1.2.3-linux-x64.tar.gz",
          "stint-cli-1.2.3-portable.tar.gz",
          "stint-cli-1.2.3-portable.zip",
          "homebrew/stint.rb",
          "scoop/stint.json");

  @TempDir Path dir;
  Path dist;
  Path out;

  @BeforeEach
  void build() throws IOException {
    dist = Files.createDirectories(dir.resolve("target/dist"));
    out = dir.resolve("target/release");
    version("1.2.3");
    for (String asset : ASSETS) {
      Path file = dist.resolve(asset);
      Files.createDirectories(file.getParent());
      Files.writeString(file, "the bytes of " + asset);
    }
  }

  @Test
  void aReleaseHasEveryArchiveAndChecksumsThatCheckThem() throws Exception {
    Run run = assets("v1.2.3");

    assertThat(run.code()).as(run.err()).isZero();
    List<String> names;
    try (Stream<Path> files = Files.list(out)) {
      names = files.map(f -> f.getFileName().toString()).sorted().toList();
    }
    List<String> expected = new ArrayList<>(List.of("NOTES.md", "SHA256SUMS"));
    ASSETS.forEach(a -> expected.add(a.substring(a.lastIndexOf('/') + 1)));
    assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(Files.readAllLines(out.resolve("SHA256SUMS"))).hasSize(ASSETS.size());
    Run check = run(out, Map.of(), "sha256sum", "-c", "SHA256SUMS");
    assertThat(check.code()).as(check.out() + check.err()).isZero();

    Files.writeString(out.resolve("stint-cli-1.2.3-linux-x64.tar.gz"), "changed");
    assertThat(run(out, Map.of(), "sha256sum", "-c", "SHA256SUMS").code()).isNotZero();
  }

  @Test
  void theNotesPinTheCliArchiveAsTheActionAndTheComponentTakeIt() throws Exception {
    assertThat(assets("v1.2.3").code()).isZero();
    String notes = Files.readString(out.resolve("NOTES.md"));
    String sha = CiJobTools.sha256(out.resolve("stint-cli-1.2.3-linux-x64.tar.gz"));

    JsonNode step = YAML.readTree(block(notes, "yaml")).get(0);
    assertThat(step.path("uses").asText()).isEqualTo("acme/stint@v1.2.3");
    JsonNode with = step.path("with");
    assertThat(with.path("version").isTextual()).isTrue();
    assertThat(with.path("version").asText()).isEqualTo("1.2.3");
    assertThat(with.path("sha256").isTextual()).as("a string, whatever its digits").isTrue();
    assertThat(with.path("sha256").asText()).isEqualTo(sha);
    JsonNode inputs = YAML.readTree(Path.of("action.yml").toFile()).path("inputs");
    with.fieldNames().forEachRemaining(i -> assertThat(inputs.has(i)).as(i).isTrue());

    assertThat(block(notes, "text"))
        .isEqualTo(
            "STINT_TARBALL_URL=https://github.com/acme/stint/releases/download/v1.2.3/"
                + "stint-cli-1.2.3-linux-x64.tar.gz\nSTINT_TARBALL_SHA256="
                + sha
                + "\n");
  }

  @Test
  void theArchiveTheActionDownloadsIsOneAReleaseHas() throws Exception {
    Matcher archive =
        Pattern.compile("archive=\"(stint-cli-)\\$STINT_INPUT_VERSION(-linux-x64\\.tar\\.gz)\"")
            .matcher(Files.readString(Path.of("action.yml")));
    assertThat(archive.find()).as("action.yml names its archive").isTrue();
    assertThat(assets("v1.2.3").code()).isZero();
    assertThat(out.resolve(archive.group(1) + "1.2.3" + archive.group(2))).exists();
  }

  @Test
  void aTagThatIsNotTheBuiltVersionPublishesNothing() throws Exception {
    Run other = assets("v1.2.4");
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err())
        .contains("tag v1.2.4 but the build is version '1.2.3'")
        .contains("<version>1.2.4</version> in pom.xml");
    assertThat(out).doesNotExist();

    version("1.2.3-SNAPSHOT");
    Run snapshot = assets("v1.2.3-SNAPSHOT");
    assertThat(snapshot.code()).isEqualTo(2);
    assertThat(snapshot.err()).contains("is a development version");

    Run malformed = assets("1.2.3");
    assertThat(malformed.code()).isEqualTo(2);
    assertThat(malformed.err()).contains("the tag must be vMAJOR.MINOR.PATCH");
    assertThat(out).doesNotExist();
  }

  @Test
  void aMissingArchiveFailsTheRelease() throws Exception {
    Files.delete(dist.resolve("stint_1.2.3_amd64.deb"));
    Run run = assets("v1.2.3");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("stint_1.2.3_amd64.deb is missing");
    assertThat(out.resolve("SHA256SUMS")).doesNotExist();
  }

  @Test
  void theBuildMayWriteNothingAndThePublishingJobRunsNothingOfTheBuilds() throws IOException {
    JsonNode workflow = YAML.readTree(Path.of(".github/workflows/release.yml").toFile());
    assertThat(workflow.at("/on/push/tags").toString()).isEqualTo("[\"v*\"]");
    assertThat(workflow.path("permissions").isEmpty()).as("no permission by default").isTrue();
    JsonNode build = workflow.at("/jobs/build");
    assertThat(build.path("permissions").toString()).isEqualTo("{\"contents\":\"read\"}");
    assertThat(runs(build)).hasSize(2);
    assertThat(runs(build).get(0)).isEqualTo(".ci/run");
    assertThat(runs(build).get(1)).startsWith("packaging/release-assets.sh ");

    JsonNode publish = workflow.at("/jobs/publish");
    assertThat(publish.path("needs").asText()).isEqualTo("build");
    assertThat(publish.path("permissions").toString()).isEqualTo("{\"contents\":\"write\"}");
    assertThat(publish.path("environment").asText()).isEqualTo("release");
    assertThat(runs(publish)).hasSize(1);
    assertThat(runs(publish).get(0))
        .contains("sha256sum -c SHA256SUMS")
        .contains("gh release create \"$TAG\" --repo \"$GITHUB_REPOSITORY\" --verify-tag")
        .doesNotContain("make")
        .doesNotContain(".ci/");
  }

  /** A job's {@code run:} scripts in order; every action it uses pinned to a commit. */
  private static List<String> runs(JsonNode job) {
    List<String> runs = new ArrayList<>();
    for (JsonNode step : job.path("steps")) {
      if (step.has("uses")) {
        assertThat(step.path("uses").asText())
            .as("an action pinned to a commit")
            .matches("[\\w.-]+/[\\w.-]+@[0-9a-f]{40}");
      } else {
        runs.add(step.path("run").asText());
      }
    }
    return runs;
  }

  private void version(String version) throws IOException {
    Path properties = dir.resolve("target/classes/dev/stint/version.properties");
    Files.createDirectories(properties.getParent());
    Files.writeString(properties, "version=" + version + "\ncommit=unknown\n");
  }

  private Run assets(String tag) throws Exception {
    return run(
        Path.of(""),
        Map.of("GITHUB_REPOSITORY", "acme/stint"),
        "bash",
        "packaging/release-assets.sh",
        tag,
        dist.toString(),
        out.toString());
  }

  /** The first fenced block of the notes whose info string is {@code info}. */
  private static String block(String markdown, String info) {
    Matcher m = Pattern.compile("```" + info + "\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    assertThat(m.find()).as("a ```%s block", info).isTrue();
    return m.group(1);
  }

  record Run(int code, String out, String err) {}

  private static Run run(Path cwd, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toAbsolutePath().toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), out, err);
  }
}
