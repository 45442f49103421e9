package dev.stint.demo;

import static dev.stint.demo.WalkthroughScript.between;
import static dev.stint.demo.WalkthroughScript.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.common.SecretShapes;
import dev.stint.testing.Eventually;
import dev.stint.testing.Patience;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step 12 of {@code bin/stint demo}'s walkthrough as a person runs it (the launcher, the built
 * jars, the real AWS CLI v2, the lines as printed), after step 9's grant of alice's: alice enrolls
 * the agent coder, the scripted agent asks {@code stint mcp} (the Java SDK's MCP client over stdio)
 * for demo-bucket-read and waits; the ask shows in the Slack stand-in, "asked by agent coder
 * (alice's)", and alice's Approve there approves it; the agent lists the bucket with the AWS
 * profile stint wrote, ends its access, and the S3 stand-in then refuses the session it kept while
 * its profile mints no more. The request's page shows the lease with the agent and the task, the
 * lease's page its calls; the agent's whole output holds no secret.
 */
class DemoAgentIT {
  private static final Pattern LEASE =
      Pattern.compile("agent: lease (lse_[a-z2-7]{24}) is pending");

  @TempDir static Path home;
  static DemoProcess demo;

  @BeforeAll
  static void start() throws Exception {
    demo = DemoProcess.start(home);
  }

  @AfterAll
  static void stop() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void anAgentAsksAliceApprovesInSlackItListsTheBucketAndItsEndIsRefusedByS3() throws Exception {
    String export = demo.printed("export STINT_SERVER=");
    String token = demo.printed("export STINT_TOKEN=");
    URI server = URI.create(value(export, "STINT_SERVER"));
    DemoPeople people =
        new DemoPeople(home, server, URI.create(between(token, "curl -s '", "/dev/token")));
    String request = narrowedGrantToAlice(people);
    String enroll = demo.printed("bin/stint agent enroll coder");
    String agent = demo.printed("bin/stint demo agent");
    assertThat(agent).contains("--endpoint-url " + s3StandIn());

    Process script =
        demo.started(
            demo.pathWithAwsCli(),
            Map.of("TMPDIR", Files.createTempDirectory(home, "shell").toString()),
            "set -e",
            export,
            token,
            enroll,
            agent,
            "echo --agents--",
            demo.printed("bin/stint agent list"));
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    Thread reading = reader(script, out);
    String lease =
        Eventually.get(
            "the agent's pending lease",
            Patience.of(Duration.ofMinutes(2)),
            () -> leaseIn(out, script));

    URI slack = URI.create(slackStandIn());
    String asked =
        Eventually.get(
            "the ask in #approvals, as alice sees it",
            Duration.ofSeconds(30),
            () ->
                Optional.of(DemoPeople.get(URI.create(slack + "/?as=U0ALICE")))
                    .filter(p -> p.contains(lease)));
    String label = DemoAgentWalkthrough.label(DevUser.ALL.get(0));
    assertThat(demo.stdout()).anyMatch(l -> l.contains("the message says \"" + label + "\""));
    assertThat(asked)
        .contains(HttpForms.escape(label), DemoAgentTask.TASK, "ReadOneBucket", DemoBucket.NAME)
        .contains("value=\"" + lease + "\"", ">Approve<");
    assertThat(
            DemoPeople.press(slack, "U0ALICE", SlackStandIn.CHANNEL, "stint.lease.approve", lease)
                .statusCode())
        .isEqualTo(200);

    assertThat(script.waitFor(Patience.minutes(4), TimeUnit.MILLISECONDS)).isTrue();
    reading.join(Patience.seconds(30));
    String printed = String.join("\n", out);
    assertThat(script.exitValue()).as(printed).isZero();
    assertThat(printed)
        .contains("enrolled agent coder")
        .contains("agent: access_status: active. AWS profile stint-" + lease)
        .contains("hello.txt")
        .contains("agent: end_access " + lease + ": revoked")
        .contains("An error occurred (AccessDenied) when calling the ListObjectsV2 operation")
        .contains("agent: refused by the S3 stand-in: the lease's sessions are denied in IAM")
        .contains("mints no more: refused by stint")
        .contains("lease " + lease + " is revoked");
    assertThat(after(printed, "--agents--")).containsPattern("coder +active +demo-bucket-read");
    assertThat(after(printed, "agent: end_access")).doesNotContain("hello.txt");
    assertThat(SecretShapes.problem(printed)).as(printed).isEmpty();

    assertThat(people.webPage("alice", "/ui/requests/" + request))
        .contains(lease, DemoAgentTask.TASK, HttpForms.escape(label));
    Eventually.until(
        "the agent's listing among the lease's calls",
        Duration.ofSeconds(60),
        () -> people.webPage("alice", "/ui/leases/" + lease).contains("ListObjects"));
  }

  /** Step 9's request and bob's approval, as printed: the request's id. */
  private static String narrowedGrantToAlice(DemoPeople people) throws Exception {
    String asked =
        demo.printed("bin/stint request demo-bucket-read").substring("bin/stint ".length());
    Matcher id = Pattern.compile("req_[a-z0-9]+").matcher(people.cli("alice", asked.split(" ")));
    assertThat(id.find()).isTrue();
    assertThat(people.cli("bob", "approve", id.group())).contains("active");
    return id.group();
  }

  /** The lease the agent printed as pending, once it has; a script that ended early fails. */
  private static Optional<String> leaseIn(List<String> out, Process script) {
    synchronized (out) {
      for (String line : out) {
        Matcher m = LEASE.matcher(line);
        if (m.find()) {
          return Optional.of(m.group(1));
        }
      }
    }
    assertThat(script.isAlive()).as("the script ended: %s", out).isTrue();
    return Optional.empty();
  }

  /** Reads {@code process}'s output into {@code lines}, line by line as it comes. */
  private static Thread reader(Process process, List<String> lines) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                  lines.add(l);
                }
              } catch (IOException e) {
                // the script ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  private static String after(String text, String marker) {
    return text.substring(text.indexOf(marker));
  }

  private static String s3StandIn() {
    return demo.printed("S3 stand-in").substring("S3 stand-in".length()).strip().split("\\s+")[0];
  }

  private static String slackStandIn() {
    return between(demo.printed("Slack stand-in") + " ", "Slack stand-in", "/ ").strip();
  }
}
