package dev.stint.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stint.cli.CliException;
import dev.stint.cli.ci.GithubRunner.StepRun;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/ci.md's GitHub Actions workflows, read from the document and run step by step in an emulated
 * runner ({@link GithubRunner}): the Action installs a release's CLI archive (laid out like {@code
 * make dist}'s; its {@code bin/stint} runs this build's CLI) from its GitHub release, checked
 * against its SHA-256, and the plain workflow's install step does the same from a {@code file:///}
 * URL; the stint step fetches the job's token from a stand-in of GitHub's ID token endpoint and
 * exchanges it at a real stint server under a CI rule, and the last step sees the variables. On the
 * job's PATH, {@code curl} answers the release's URLs on github.com from this test's folder (no
 * test reaches the internet) and is the system's curl for every other URL; {@code aws} is a stub
 * that records what it was given: the point is what later steps receive.
 */
class GithubActionsDocIT {
  private static final String REQUEST_TOKEN = "gh-request-token";
  private static final String EXAMPLE_SERVER = "https://stint.example.com";
  private static final String EXAMPLE_SHA256 = "0".repeat(64);
  private static final String RELEASE = "https://github.com/acme/stint/releases/download/v1.0.0/";
  private static final String ARCHIVE = "stint-cli-1.0.0-linux-x64.tar.gz";

  static CiDocStack stack;
  static FakeSts sts;
  static TestIdp github;
  static TestServer server;
  static GithubStandIn standIn;
  static Path releases;
  static String archiveSha256;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    stack =
        CiDocStack.start(
            "github",
            idp ->
                "issuers:\n"
                    + idp.issuerYaml("github")
                    + "ci:\n"
                    + "  deploy-main:\n"
                    + "    issuer: github\n"
                    + "    profile: aws-prod-deploy\n"
                    + "    when: 'claims.repository_id == \"700000001\""
                    + " && claims.ref == \"refs/heads/main\"'\n"
                    + "    max_duration: 30m\n"
                    + "    approval: none\n");
    sts = stack.sts();
    github = stack.idp();
    server = stack.server();
    standIn = new GithubStandIn();
    releases = Files.createDirectories(stack.dist().resolve("releases"));
    Files.copy(stack.tarball(), releases.resolve(ARCHIVE));
    archiveSha256 = CiJobTools.sha256(releases.resolve(ARCHIVE));
  }

  @AfterAll
  static void stop() throws Exception {
    if (standIn != null) {
      standIn.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void eachWorkflowOfTheGithubSectionHandsLaterStepsTheMintedCredentialsMasked() throws Exception {
    List<JsonNode> workflows = GithubRunner.yamlBlocks(Path.of("docs/ci.md"), "## GitHub Actions");
    assertThat(workflows).as("the Action and the plain step").hasSize(2);
    int n = 0;
    for (JsonNode workflow : workflows) {
      for (JsonNode job : workflow.path("jobs")) {
        Path jobDir = Files.createDirectories(dir.resolve("job-" + ++n));
        List<StepRun> runs = runner(jobDir, REQUEST_TOKEN).run(job.path("steps"));
        assertThat(runs)
            .as("job %s", n)
            .allSatisfy(r -> assertThat(r.exitCode()).as(r.name() + ": " + r.err()).isZero());
        FakeSts.Issued minted = sts.issued().get(sts.issued().size() - 1);
        List<String> secrets =
            List.of(minted.accessKeyId(), minted.secretAccessKey(), minted.sessionToken());
        StepRun exchange =
            runs.stream().filter(r -> !r.envFile().isEmpty()).findFirst().orElseThrow();
        assertThat(exchange.envFile())
            .isEqualTo(
                "AWS_ACCESS_KEY_ID="
                    + minted.accessKeyId()
                    + "\nAWS_SECRET_ACCESS_KEY="
                    + minted.secretAccessKey()
                    + "\nAWS_SESSION_TOKEN="
                    + minted.sessionToken()
                    + "\n");
        assertThat(exchange.out())
            .isEqualTo(
                "::add-mask::"
                    + minted.accessKeyId()
                    + "\n::add-mask::"
                    + minted.secretAccessKey()
                    + "\n::add-mask::"
                    + minted.sessionToken()
                    + "\n");
        assertThat(Files.readString(jobDir.resolve("aws-saw")))
            .isEqualTo(
                "AWS_ACCESS_KEY_ID="
                    + minted.accessKeyId()
                    + "\nAWS_SECRET_ACCESS_KEY="
                    + minted.secretAccessKey()
                    + "\nAWS_SESSION_TOKEN="
                    + minted.sessionToken()
                    + "\n");
        if (n == 1) {
          assertThat(Files.readAllLines(jobDir.resolve("curl-saw")))
              .as("the Action's download: its own repository's release of the pinned version")
              .containsExactly(RELEASE + ARCHIVE);
        }
        for (StepRun run : runs) {
          for (String secret : secrets) {
            assertThat(run.err()).as(run.name()).doesNotContain(secret);
            if (run != exchange) {
              assertThat(run.out()).as(run.name()).doesNotContain(secret);
            }
          }
        }
      }
    }
  }

  @Test
  void aTokenForAnotherAudienceIsRefusedAndNothingIsExported() throws Exception {
    int before = sts.issued().size();
    List<StepRun> runs =
        runner(dir, REQUEST_TOKEN).run(actionSteps("audience", "sts.amazonaws.com"));
    StepRun last = runs.get(runs.size() - 1);
    assertThat(last.name()).isEqualTo("Exchange the job's OIDC token at stint");
    assertThat(last.exitCode()).as(last.err()).isEqualTo(CliException.REFUSED);
    assertThat(last.envFile()).isEmpty();
    assertThat(last.out()).isEmpty();
    assertThat(standIn.audiences).contains("sts.amazonaws.com");
    assertThat(sts.issued()).hasSize(before);
  }

  @Test
  void theActionUnpacksNoArchiveThatDoesNotMatchItsSha256() throws Exception {
    int before = sts.issued().size();
    List<StepRun> runs = runner(dir, REQUEST_TOKEN).run(actionSteps("sha256", "1".repeat(64)));
    assertThat(runs).hasSize(1);
    StepRun install = runs.get(0);
    assertThat(install.name()).isEqualTo("Install stint");
    assertThat(install.exitCode()).isEqualTo(1);
    assertThat(install.out()).contains("does not match the input sha256; nothing was installed");
    assertThat(Files.readAllLines(dir.resolve("curl-saw"))).containsExactly(RELEASE + ARCHIVE);
    try (var left = Files.list(dir.resolve("runner-temp"))) {
      assertThat(left).as("the downloaded archive is removed").isEmpty();
    }
    assertThat(sts.issued()).hasSize(before);
  }

  @Test
  void theActionRefusesAPlainHttpReleaseUrlAndAVersionWithoutItsSha256() throws Exception {
    Path http = Files.createDirectories(dir.resolve("http"));
    StepRun plain =
        runner(http, REQUEST_TOKEN)
            .run(actionSteps("release-url", "http://127.0.0.1:9/releases"))
            .get(0);
    assertThat(plain.exitCode()).isEqualTo(2);
    assertThat(plain.out()).contains("release-url must be an https:// (or file:///) URL");
    assertThat(http.resolve("curl-saw")).doesNotExist();

    Path unpinned = Files.createDirectories(dir.resolve("unpinned"));
    StepRun noSha = runner(unpinned, REQUEST_TOKEN).run(actionSteps("sha256", "")).get(0);
    assertThat(noSha.exitCode()).isEqualTo(2);
    assertThat(noSha.out()).contains("the input sha256 must be the archive's SHA-256");
    assertThat(unpinned.resolve("curl-saw")).doesNotExist();
  }

  /** The documented Action job's steps with one input of the Action changed. */
  private static JsonNode actionSteps(String input, String value) throws IOException {
    JsonNode job = GithubRunner.yamlBlocks(Path.of("docs/ci.md"), "## GitHub Actions").get(0);
    JsonNode steps = job.path("jobs").path("deploy").path("steps").deepCopy();
    for (JsonNode step : steps) {
      if (step.has("with")) {
        ((ObjectNode) step.path("with")).put(input, value);
      }
    }
    return steps;
  }

  @Test
  void aJobWithoutTheRequestTokenGetsNoTokenAndExportsNothing() throws Exception {
    JsonNode job = GithubRunner.yamlBlocks(Path.of("docs/ci.md"), "## GitHub Actions").get(1);
    int before = sts.issued().size();
    List<StepRun> runs =
        runner(dir, "not-the-request-token").run(job.path("jobs").path("deploy").path("steps"));
    StepRun last = runs.get(runs.size() - 1);
    assertThat(last.exitCode()).as(last.err()).isEqualTo(CliException.UNAVAILABLE);
    assertThat(last.err()).contains("HTTP 401");
    assertThat(last.envFile()).isEmpty();
    assertThat(sts.issued()).hasSize(before);
  }

  /**
   * A runner whose PATH has only the system's tools, the {@code aws} stub and the {@code curl} that
   * answers the release's URLs on github.com from {@link #releases} (recording each URL asked for
   * in {@code jobDir/curl-saw}).
   */
  private static GithubRunner runner(Path jobDir, String requestToken) throws IOException {
    Path stubs = CiJobTools.stubs(jobDir);
    CiJobTools.stub(
        stubs,
        "curl",
        "for url; do :; done\n"
            + "echo \"$url\" >> '"
            + jobDir.resolve("curl-saw")
            + "'\n"
            + "case $url in\n"
            + "  https://github.com/*)\n"
            + "    out=; while [ $# -gt 0 ]; do [ \"$1\" = -o ] && out=$2; shift; done\n"
            + "    file='"
            + releases
            + "'/${url##*/}\n"
            + "    [ \"$url\" = '"
            + RELEASE
            + "'\"${url##*/}\" ] && [ -f \"$file\" ] || { echo 'curl: (22) 404' >&2; exit 22; }\n"
            + "    cp \"$file\" \"$out\" ;;\n"
            + "  *) exec /usr/bin/curl \"$@\" ;;\n"
            + "esac");
    Map<String, String> base = new HashMap<>();
    base.put("PATH", stubs + ":/usr/local/bin:/usr/bin:/bin");
    base.put("HOME", Files.createDirectories(jobDir.resolve("home")).toString());
    base.put("RUNNER_TEMP", Files.createDirectories(jobDir.resolve("runner-temp")).toString());
    base.put("RUNNER_OS", "Linux");
    base.put("RUNNER_ARCH", "X64");
    base.put("GITHUB_WORKSPACE", jobDir.toString());
    base.put("GITHUB_ACTIONS", "true");
    base.put("CI", "true");
    base.put("ACTIONS_ID_TOKEN_REQUEST_URL", standIn.uri() + "/token?api-version=2.0");
    base.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", requestToken);
    String serverUrl = server.uri("/").toString().replaceAll("/$", "");
    return new GithubRunner(
        jobDir,
        base,
        Map.of(
            "vars.STINT_TARBALL_URL",
            releases.resolve(ARCHIVE).toUri().toString(),
            "vars.STINT_TARBALL_SHA256",
            archiveSha256),
        value -> value.replace(EXAMPLE_SERVER, serverUrl).replace(EXAMPLE_SHA256, archiveSha256));
  }

  /**
   * GitHub's side of a job on 127.0.0.1: the ID token endpoint as a job sees it (the request token
   * as bearer, any audience as a query parameter, the token in {@code value}; 401 without the
   * request token).
   */
  static final class GithubStandIn implements AutoCloseable {
    final List<String> audiences = new CopyOnWriteArrayList<>();
    private final HttpServer http;

    GithubStandIn() throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext("/token", this::token);
      http.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    private void token(HttpExchange exchange) throws IOException {
      String audience = null;
      for (String param : String.valueOf(exchange.getRequestURI().getQuery()).split("&")) {
        if (param.startsWith("audience=")) {
          audience = param.substring("audience=".length());
        }
      }
      boolean ok =
          ("Bearer " + REQUEST_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))
              && audience != null;
      if (!ok) {
        answer(exchange, 401, "{\"message\":\"Bad credentials\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      audiences.add(audience);
      String jwt =
          github.tokenFor(
              audience,
              "repo:acme/api:ref:refs/heads/main",
              Map.of(
                  "repository", "acme/api",
                  "repository_id", "700000001",
                  "ref", "refs/heads/main",
                  "environment", "prod"));
      answer(exchange, 200, ("{\"value\":\"" + jwt + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
      try (exchange) {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }
}
