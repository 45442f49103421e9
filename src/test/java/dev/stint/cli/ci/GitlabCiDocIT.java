package dev.stint.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.cli.CliException;
import dev.stint.cli.ci.GitlabRunner.JobRun;
import dev.stint.testing.FakeSts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/ci.md's GitLab section, read from the document and run: its CI rule is the policy of a real
 * stint server, and each of its pipelines' {@code deploy} job runs in an emulated GitLab runner
 * ({@link GitlabRunner}), the component included from this repository's {@code ci/gitlab}. The job
 * installs stint from a tarball laid out like {@code make dist}'s (its {@code bin/stint} runs this
 * build's CLI), gets its ID token from a stand-in of GitLab's issuer with GitLab's claims, and its
 * {@code aws} is a stub that records what it was given: the point is what the script receives.
 */
class GitlabCiDocIT {
  private static final Path DOC = Path.of("docs/ci.md");
  private static final String SECTION = "## GitLab CI";
  private static final String EXAMPLE_SERVER = "https://stint.example.com";
  private static final String EXAMPLE_ISSUER = "https://gitlab.example.com";

  static CiDocStack stack;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    String rule =
        CiJobTools.yamlTexts(DOC, SECTION).stream()
            .filter(b -> b.contains("\nci:\n"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the GitLab section has no CI rule"));
    stack = CiDocStack.start("gitlab", idp -> rule.replace(EXAMPLE_ISSUER, idp.issuer()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void eachPipelineGivesItsScriptTheMintedCredentialsAndTheLogNeverShowsThem() throws Exception {
    List<ObjectNode> pipelines = pipelines();
    assertThat(pipelines).as("with the component and without it").hasSize(2);
    int n = 0;
    for (ObjectNode pipeline : pipelines) {
      Path jobDir = Files.createDirectories(dir.resolve("job-" + ++n));
      int before = stack.sts().issued().size();
      JobRun run = runDeploy(pipeline, jobDir, "main", true);
      assertThat(run.exitCode()).as("job %s: %s", n, run.log()).isZero();
      assertThat(stack.sts().issued()).as("job %s", n).hasSize(before + 1);
      FakeSts.Issued minted = stack.sts().issued().get(before);
      assertThat(Files.readAllLines(jobDir.resolve("aws-saw")))
          .as("job %s", n)
          .contains(
              "AWS_ACCESS_KEY_ID=" + minted.accessKeyId(),
              "AWS_SECRET_ACCESS_KEY=" + minted.secretAccessKey(),
              "AWS_SESSION_TOKEN=" + minted.sessionToken());
      assertThat(run.log())
          .as("job %s", n)
          .contains("$ aws sts get-caller-identity")
          .doesNotContain(minted.accessKeyId())
          .doesNotContain(minted.secretAccessKey())
          .doesNotContain(minted.sessionToken());
      assertThat(Files.readString(jobDir.resolve("yum-ran")))
          .as("the image's missing tools are installed first")
          .isEqualTo("install -y -q tar gzip\n");
    }
  }

  @Test
  void aJobOnABranchTheRuleDoesNotAllowFailsBeforeItsScriptRuns() throws Exception {
    int n = 0;
    for (ObjectNode pipeline : pipelines()) {
      Path jobDir = Files.createDirectories(dir.resolve("job-" + ++n));
      int before = stack.sts().issued().size();
      // The job's own rules: keep it off other branches, but whoever pushes the branch can edit
      // them; the CI rule in the policy is what refuses.
      JobRun run = runDeploy(pipeline, jobDir, "feature/x", false);
      assertThat(run.exitCode()).as("job %s: %s", n, run.log()).isEqualTo(CliException.REFUSED);
      assertThat(jobDir.resolve("aws-saw")).as("job %s", n).doesNotExist();
      assertThat(run.log()).doesNotContain("$ aws sts get-caller-identity");
      assertThat(stack.sts().issued()).hasSize(before);
    }
  }

  @Test
  void theComponentAsksForItsAudienceInputAndATokenForAnotherIsRefused() throws Exception {
    ObjectNode pipeline = withInput("audience", "sts.amazonaws.com");
    assertThat(GitlabRunner.job(pipeline, "deploy").path("id_tokens").toString())
        .contains("sts.amazonaws.com");
    int before = stack.sts().issued().size();
    JobRun run = runDeploy(pipeline, dir, "main", true);
    assertThat(run.exitCode()).as(run.log()).isEqualTo(CliException.REFUSED);
    assertThat(dir.resolve("aws-saw")).doesNotExist();
    assertThat(stack.sts().issued()).hasSize(before);
  }

  @Test
  void theComponentAsksForTheDurationOfItsInput() throws Exception {
    int before = stack.sts().issued().size();
    JobRun run = runDeploy(withInput("duration", "15m"), dir, "main", true);
    assertThat(run.exitCode()).as(run.log()).isZero();
    Instant expiration = stack.sts().issued().get(before).expiration();
    assertThat(Duration.between(Instant.now(), expiration))
        .as("15 minutes, not the rule's 30")
        .isBetween(Duration.ofMinutes(13), Duration.ofMinutes(15));
  }

  /** The section's pipeline with the component, one of its inputs changed. */
  private static ObjectNode withInput(String input, String value) throws IOException {
    ObjectNode snippet =
        CiJobTools.yamlTexts(DOC, SECTION).stream()
            .filter(b -> b.contains("component:"))
            .map(GitlabCiDocIT::parse)
            .findFirst()
            .orElseThrow(() -> new AssertionError("the GitLab section includes no component"));
    ((ObjectNode) snippet.path("include").get(0).path("inputs")).put(input, value);
    return GitlabRunner.withIncludes(snippet);
  }

  private static ObjectNode parse(String yaml) {
    try {
      return GitlabRunner.parse(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The section's pipelines (every block but the policy's), includes resolved. */
  private static List<ObjectNode> pipelines() throws IOException {
    List<ObjectNode> out = new ArrayList<>();
    for (String block : CiJobTools.yamlTexts(DOC, SECTION)) {
      if (!block.contains("\nci:\n")) {
        out.add(GitlabRunner.withIncludes(GitlabRunner.parse(block)));
      }
    }
    return out;
  }

  /**
   * The pipeline's {@code deploy} job in project acme/api on {@code branch}: the runner's PATH has
   * only the system's tools and the stubs ({@code aws}, and {@code yum}, which records what it was
   * asked to install), and the project's CI/CD variable {@code STINT_TARBALL_URL} names the
   * tarball.
   */
  private JobRun runDeploy(ObjectNode pipeline, Path jobDir, String branch, boolean protectedRef)
      throws Exception {
    Path stubs = CiJobTools.stubs(jobDir);
    CiJobTools.stub(stubs, "yum", "echo \"$*\" >> '" + jobDir.resolve("yum-ran") + "'");
    Map<String, String> ci = new HashMap<>();
    ci.put("PATH", stubs + ":/usr/bin:/bin");
    ci.put("HOME", Files.createDirectories(jobDir.resolve("home")).toString());
    ci.put("TMPDIR", Files.createDirectories(jobDir.resolve("tmp")).toString());
    ci.put("CI", "true");
    ci.put("GITLAB_CI", "true");
    ci.put("CI_SERVER_FQDN", "gitlab.example.com");
    ci.put("CI_PROJECT_ID", "4200");
    ci.put("CI_PROJECT_PATH", "acme/api");
    ci.put("CI_PROJECT_NAMESPACE", "acme");
    ci.put("CI_PROJECT_DIR", jobDir.resolve("project").toString());
    ci.put("CI_COMMIT_BRANCH", branch);
    ci.put("CI_COMMIT_REF_NAME", branch);
    ci.put("CI_COMMIT_REF_PROTECTED", String.valueOf(protectedRef));
    ci.put("CI_PIPELINE_SOURCE", "push");
    ci.put("STINT_TARBALL_URL", stack.tarball().toUri().toString());
    ci.put("STINT_TARBALL_SHA256", CiJobTools.sha256(stack.tarball()));
    String serverUrl = stack.server().uri("/").toString().replaceAll("/$", "");
    GitlabRunner runner =
        new GitlabRunner(
            jobDir, GitlabCiDocIT::idToken, value -> value.replace(EXAMPLE_SERVER, serverUrl));
    return runner.run(GitlabRunner.job(pipeline, "deploy"), ci);
  }

  /** The token GitLab's issuer would give this job: GitLab's claims, from its CI variables. */
  private static String idToken(String audience, Map<String, String> ci) {
    String ref = ci.get("CI_COMMIT_REF_NAME");
    return stack
        .idp()
        .tokenFor(
            audience,
            "project_path:" + ci.get("CI_PROJECT_PATH") + ":ref_type:branch:ref:" + ref,
            Map.of(
                "project_id", ci.get("CI_PROJECT_ID"),
                "project_path", ci.get("CI_PROJECT_PATH"),
                "namespace_id", "4100",
                "namespace_path", ci.get("CI_PROJECT_NAMESPACE"),
                "ref", ref,
                "ref_type", "branch",
                "ref_path", "refs/heads/" + ref,
                "ref_protected", ci.get("CI_COMMIT_REF_PROTECTED"),
                "pipeline_source", ci.get("CI_PIPELINE_SOURCE")));
  }
}
