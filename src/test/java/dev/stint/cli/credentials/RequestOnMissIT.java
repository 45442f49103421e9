package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AwsStack;
import dev.stint.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint credentials} without a grant, run as the AWS CLI runs it (stdout captured) but with
 * a person at a pseudo-terminal ({@code script} gives the child one): it offers to request access,
 * asks the reason and duration on the terminal, names who can approve, waits on one status line,
 * and prints only the credential JSON to stdout once approved; a denial is exit 3 with nothing on
 * stdout; with {@code CI} set or {@code --no-input} it never asks.
 */
class RequestOnMissIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static AwsStack aws;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    aws = AwsStack.start();
    // bob is seen, so he can be named as an approver.
    aws.api().call(aws.idp().token("bob", "sre"), "GET", "/v1/whoami", null);
  }

  @AfterAll
  static void stop() throws Exception {
    aws.close();
  }

  /** A CLI run on a pseudo-terminal: stdout to a file, the terminal's text captured. */
  record Run(
      Process process, Path stdout, ByteArrayOutputStream tty, OutputStream keys, Thread pump) {
    String terminal() {
      synchronized (tty) {
        return tty.toString(StandardCharsets.UTF_8);
      }
    }

    /** Waits for the run to end, and for the terminal's last text to be read. */
    int exit() throws Exception {
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(terminal()).isTrue();
      pump.join(TimeUnit.SECONDS.toMillis(10));
      return process.exitValue();
    }
  }

  static Run start(String user, Map<String, String> extra, String... args) throws IOException {
    Path home = Files.createTempDirectory(dir, user);
    Path out = home.resolve("stdout.json");
    StringBuilder cmd =
        new StringBuilder(
            "exec '"
                + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -cp '"
                + System.getProperty("java.class.path")
                + "' dev.stint.app.Main credentials");
    for (String a : args) {
      cmd.append(" '").append(a).append("'");
    }
    cmd.append(" > '").append(out).append("'");
    ProcessBuilder b = new ProcessBuilder("script", "-qfec", cmd.toString(), "/dev/null");
    b.environment().keySet().removeIf(k -> k.startsWith("STINT_") || k.equals("CI"));
    b.environment()
        .putAll(
            Map.of(
                "STINT_SERVER",
                aws.server().uri("/").toString(),
                "STINT_TOKEN",
                aws.idp().token(user, "eng"),
                "XDG_CACHE_HOME",
                home.resolve("cache").toString(),
                "XDG_CONFIG_HOME",
                home.resolve("config").toString(),
                "HOME",
                home.toString(),
                "TERM",
                "dumb"));
    b.environment().putAll(extra);
    b.redirectErrorStream(true);
    Process p = b.start();
    ByteArrayOutputStream tty = new ByteArrayOutputStream();
    Thread pump =
        new Thread(
            () -> {
              try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) {
                  synchronized (tty) {
                    tty.write(buf, 0, n);
                  }
                }
              } catch (IOException ignored) {
                // the run ended
              }
            });
    pump.setDaemon(true);
    pump.start();
    return new Run(p, out, tty, p.getOutputStream(), pump);
  }

  static void type(Run run, String line) throws IOException {
    run.keys().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    run.keys().flush();
  }

  static String pendingRequestOf(String user) throws Exception {
    return Eventually.get(
        user + "'s request",
        Duration.ofSeconds(60),
        () -> {
          JsonNode list =
              aws.api()
                  .call(
                      aws.idp().token(user, "eng"),
                      "GET",
                      "/v1/requests?mine=true&state=pending",
                      null)
                  .body();
          return list.path("requests").isEmpty()
              ? Optional.empty()
              : Optional.of(list.path("requests").get(0).path("id").asText());
        });
  }

  @Test
  void approvedWhileWaitingPrintsOnlyTheCredentialOnStdout() throws Exception {
    Run run = start("alice", Map.of(), "sandbox");
    Eventually.until(
        "the offer", Duration.ofSeconds(60), () -> run.terminal().contains("Request access now?"));
    type(run, "y");
    Eventually.until(
        "the reason question", Duration.ofSeconds(10), () -> run.terminal().contains("Reason"));
    type(run, "INC-5 deploy stuck");
    Eventually.until(
        "the duration question", Duration.ofSeconds(10), () -> run.terminal().contains("Duration"));
    type(run, "20m");
    String id = pendingRequestOf("alice");
    Eventually.until(
        "the status line",
        Duration.ofSeconds(30),
        () -> run.terminal().contains("Waiting for approval of " + id));
    assertThat(run.terminal()).contains("who can approve: bob@example.com");
    Answer ok =
        aws.api()
            .call(aws.idp().token("bob", "sre"), "POST", "/v1/requests/" + id + "/approve", "{}");
    assertThat(ok.status()).isEqualTo(200);

    assertThat(run.exit()).as(run.terminal()).isZero();
    JsonNode printed = JSON.readTree(Files.readString(run.stdout()));
    assertThat(printed.path("Version").asInt()).isEqualTo(1);
    assertThat(printed.path("AccessKeyId").asText()).isNotEmpty();
    assertThat(Files.readString(run.stdout()).strip()).startsWith("{").endsWith("}");
    JsonNode request =
        aws.api().call(aws.idp().token("alice", "eng"), "GET", "/v1/requests/" + id, null).body();
    assertThat(request.path("reason").asText()).isEqualTo("INC-5 deploy stuck");
    assertThat(request.path("duration_seconds").asLong()).isEqualTo(1200);
  }

  @Test
  void aDenialIsExitThreeWithNothingOnStdout() throws Exception {
    Run run = start("dora", Map.of(), "sandbox");
    Eventually.until(
        "the offer", Duration.ofSeconds(60), () -> run.terminal().contains("Request access now?"));
    type(run, "");
    type(run, "INC-6");
    type(run, "");
    String id = pendingRequestOf("dora");
    assertThat(
            aws.api()
                .call(
                    aws.idp().token("bob", "sre"),
                    "POST",
                    "/v1/requests/" + id + "/deny",
                    "{\"comment\":\"use staging\"}")
                .status())
        .isEqualTo(200);
    assertThat(run.exit()).isEqualTo(3);
    assertThat(Files.readString(run.stdout())).isEmpty();
    assertThat(run.terminal()).contains("is denied", "use staging");
  }

  @Test
  void withCiSetOrNoInputItNeverAsks() throws Exception {
    for (Run run :
        new Run[] {
          start("ci-erin", Map.of("CI", "true"), "sandbox"),
          start("ci-erin", Map.of(), "sandbox", "--no-input")
        }) {
      assertThat(run.exit()).isEqualTo(3);
      assertThat(run.terminal())
          .doesNotContain("Request access now?")
          .contains("approval_required");
      assertThat(Files.readString(run.stdout())).isEmpty();
    }
    assertThat(
            aws.api()
                .call(aws.idp().token("ci-erin", "eng"), "GET", "/v1/requests?mine=true", null)
                .body()
                .path("requests"))
        .isEmpty();
  }
}
