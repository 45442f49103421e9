package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough's CI steps, run as {@code bin/stint demo} prints them by a shell with the real
 * AWS CLI v2: a GitLab job of the demo repository on main exchanges its ID token from the demo's CI
 * issuer for demo-deploy under the CI rule, and STS names the job's session; a job of another
 * branch is refused and carol's audit names the rule; the Action's step, with the request token
 * variables the issuer serves, writes the credentials to {@code $GITHUB_ENV} and prints only masks.
 */
class DemoCiIT {
  private static final String AWS_OUTPUT = "aws-cli-answer:";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path home;
  static DemoProcess demo;
  static String path;

  @BeforeAll
  static void start() throws Exception {
    demo = DemoProcess.start(home);
    path = demo.pathWithAwsCli();
  }

  @AfterAll
  static void stop() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void theGitlabJobsTokenIsExchangedUnderTheCiRuleAndStsNamesTheJob() throws Exception {
    String token = demo.allPrinted("export STINT_ID_TOKEN=").get(0);
    assertThat(token).contains("project_path=demo/app&ref=main&aud=stint");
    DemoProcess.Run run =
        demo.sh(
            path,
            Map.of(),
            "set -e",
            ciServer(),
            token,
            demo.printed("creds=\"$(bin/stint exchange demo-deploy"),
            "echo " + AWS_OUTPUT,
            demo.printed("aws sts get-caller-identity --region") + " --output json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode caller =
        JSON.readTree(run.out().substring(run.out().indexOf(AWS_OUTPUT) + AWS_OUTPUT.length()));
    assertThat(caller.path("Arn").asText())
        .isEqualTo(
            "arn:aws:sts::111122223333:assumed-role/demo-deploy/"
                + "project_path-demo-app-ref_type-branch-ref-main");
    assertThat(run.out().substring(0, run.out().indexOf(AWS_OUTPUT)))
        .as("the exchange's credentials go into the shell, never onto the screen")
        .isEmpty();
  }

  @Test
  void aJobOfAnotherBranchIsRefusedAndCarolsAuditNamesTheRule() throws Exception {
    String token = demo.allPrinted("export STINT_ID_TOKEN=").get(1);
    assertThat(token).contains("ref=feature");
    DemoProcess.Run refused =
        demo.sh(
            path,
            Map.of(),
            ciServer(),
            token,
            demo.printed("bin/stint exchange demo-deploy --token-env STINT_ID_TOKEN"));
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(CliException.REFUSED);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).contains("no CI rule allows this token");

    assertThat(deniedEvents())
        .anySatisfy(
            e -> {
              assertThat(e.path("type").asText()).isEqualTo("credential.denied");
              assertThat(e.path("profile").asText()).isEqualTo("demo-deploy");
              assertThat(e.path("actor_subject").asText())
                  .isEqualTo("project_path:demo/app:ref_type:branch:ref:feature");
              assertThat(e.path("reason").asText())
                  .isEqualTo("CI rule 'demo-app-main-gitlab' does not match");
            });
  }

  @Test
  void theActionsStepGetsTheJobsTokenWithTheRequestTokenAndHandsOnWorkingCredentials()
      throws Exception {
    Path tmp = Files.createDirectories(home.resolve("github-tmp"));
    DemoProcess.Run step =
        demo.sh(
            path,
            Map.of("TMPDIR", tmp.toString()),
            "set -e",
            ciServer(),
            demo.printed("export ACTIONS_ID_TOKEN_REQUEST_URL="),
            demo.printed("export ACTIONS_ID_TOKEN_REQUEST_TOKEN="),
            demo.printed("GITHUB_ENV=\"$(mktemp)\" bin/stint exchange"));
    assertThat(step.exitCode()).as(step.err()).isZero();

    Map<String, String> exported = githubEnv(onlyFile(tmp));
    assertThat(exported)
        .containsOnlyKeys(
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_REGION",
            "AWS_DEFAULT_REGION");
    assertThat(exported).containsEntry("AWS_REGION", "us-east-1");
    List<String> secrets =
        List.of(
            exported.get("AWS_ACCESS_KEY_ID"),
            exported.get("AWS_SECRET_ACCESS_KEY"),
            exported.get("AWS_SESSION_TOKEN"));
    assertThat(step.out())
        .as("only the masks, one per secret value (a region is not one)")
        .isEqualTo(secrets.stream().map(v -> "::add-mask::" + v + "\n").reduce("", String::concat));
    assertThat(step.err()).doesNotContain(secrets);

    DemoProcess.Run aws =
        demo.sh(
            path,
            exported,
            demo.printed("aws sts get-caller-identity --region") + " --output json");
    assertThat(aws.exitCode()).as(aws.err()).isZero();
    assertThat(JSON.readTree(aws.out()).path("Arn").asText())
        .startsWith("arn:aws:sts::111122223333:assumed-role/demo-deploy/repo-demo-app");
  }

  @Test
  void theActionsStepOfAnotherRepositoryOrWithoutTheRequestTokenGetsNothing() throws Exception {
    String url = demo.printed("export ACTIONS_ID_TOKEN_REQUEST_URL=");
    Path tmp = Files.createDirectories(home.resolve("github-refused"));
    DemoProcess.Run otherRepository =
        demo.sh(
            path,
            Map.of("TMPDIR", tmp.toString()),
            ciServer(),
            url.replace("repository=demo/app", "repository=demo/other"),
            demo.printed("export ACTIONS_ID_TOKEN_REQUEST_TOKEN="),
            demo.printed("GITHUB_ENV=\"$(mktemp)\" bin/stint exchange"));
    assertThat(otherRepository.exitCode())
        .as(otherRepository.err())
        .isEqualTo(CliException.REFUSED);
    assertThat(Files.readString(onlyFile(tmp))).isEmpty();
    assertThat(deniedEvents())
        .anySatisfy(
            e -> {
              assertThat(e.path("actor_subject").asText())
                  .isEqualTo("repo:demo/other:ref:refs/heads/main");
              assertThat(e.path("reason").asText())
                  .isEqualTo("CI rule 'demo-app-main-github' does not match");
            });

    Files.delete(onlyFile(tmp));
    DemoProcess.Run noRequestToken =
        demo.sh(
            path,
            Map.of("TMPDIR", tmp.toString()),
            ciServer(),
            url,
            "export ACTIONS_ID_TOKEN_REQUEST_TOKEN=not-the-request-token",
            demo.printed("GITHUB_ENV=\"$(mktemp)\" bin/stint exchange"));
    assertThat(noRequestToken.exitCode()).isEqualTo(CliException.UNAVAILABLE);
    assertThat(noRequestToken.err()).contains("HTTP 401");
    assertThat(Files.readString(onlyFile(tmp))).isEmpty();
  }

  @Test
  void theGitlabCiLocalLineRunsTheDemoPipelineOfThisCheckoutAgainstThisDemo() {
    String line = demo.printed("PATH=\"$PWD/bin:$PATH\" npx --yes gitlab-ci-local@");
    assertThat(Path.of("ci/demo/gitlab-ci.yml")).exists();
    assertThat(line)
        .contains("--file ci/demo/gitlab-ci.yml --force-shell-executor")
        .contains(
            "--variable STINT_SERVER=" + ciServer().substring("export STINT_SERVER=".length()))
        .contains("project_path=demo/app&ref=main&aud=stint")
        .endsWith(" deploy");
  }

  /** Step 16's STINT_SERVER line (step 4's exports more: the CLI's own folders). */
  private static String ciServer() {
    return demo.allPrinted("export STINT_SERVER=").stream()
        .filter(l -> l.matches("export STINT_SERVER=\\S+"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the CI steps export no STINT_SERVER"));
  }

  private static Path onlyFile(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }

  /** The runner's reading of {@code $GITHUB_ENV}: NAME=value, or NAME<<DELIMITER … DELIMITER. */
  private static Map<String, String> githubEnv(Path file) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int heredoc = line.indexOf("<<");
      int equals = line.indexOf('=');
      if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
        out.put(line.substring(0, equals), line.substring(equals + 1));
        continue;
      }
      String delimiter = line.substring(heredoc + 2);
      List<String> value = new ArrayList<>();
      while (!lines.get(++i).equals(delimiter)) {
        value.add(lines.get(i));
      }
      out.put(line.substring(0, heredoc), String.join("\n", value));
    }
    return out;
  }

  /** The refusals in the audit, as carol reads them with the walkthrough's line. */
  private static List<JsonNode> deniedEvents() throws Exception {
    DemoProcess.Run audit = demo.sh(path, Map.of(), "set -e", ciServer(), auditLine());
    assertThat(audit.exitCode()).as(audit.err()).isZero();
    return events(audit.out());
  }

  /**
   * carol's line of the CI steps (steps 9 and 11 print others starting as hers: bob's, alice's).
   */
  private static String auditLine() {
    return demo.allPrinted("STINT_TOKEN=\"$(curl -s").stream()
        .filter(l -> l.contains("bin/stint audit export --type credential.denied"))
        .findFirst()
        .orElseThrow();
  }

  private static List<JsonNode> events(String jsonLines) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : jsonLines.split("\n")) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }
}
