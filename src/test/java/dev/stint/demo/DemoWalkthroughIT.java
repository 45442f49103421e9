package dev.stint.demo;

import static dev.stint.demo.WalkthroughScript.REFUSED_WITHIN;
import static dev.stint.demo.WalkthroughScript.between;
import static dev.stint.demo.WalkthroughScript.marker;
import static dev.stint.demo.WalkthroughScript.section;
import static dev.stint.demo.WalkthroughScript.untilRefused;
import static dev.stint.demo.WalkthroughScript.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.CliRun;
import dev.stint.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stint demo} as a person starts it (the launcher, the built jar, HOME of its own): its
 * first screen carries no logback status lines, and the AWS CLI lines its walkthrough prints, run
 * as printed by a shell with the real AWS CLI v2, reach the STS stand-in with credentials from
 * stint and name the demo role and alice's session; read the demo bucket with a grant's keys, which
 * S3 refuses with AccessDenied once the grant is revoked (by its holder, or by stint when the
 * on-call ticket closes), after which stint serves the profile no keys; and a task lease of a
 * narrowed grant, whose agent's keys are refused once the lease alone is revoked; and an access
 * review whose removal refuses alice's next request, naming it, until an admin restores her.
 */
class DemoWalkthroughIT {
  @TempDir static Path home;
  static DemoProcess demo;

  @BeforeAll
  static void start() throws Exception {
    demo = DemoProcess.start(home);
  }

  @AfterAll
  static void stop() throws Exception {
    if (demo != null) {
      demo.close(); // SIGTERM, as Ctrl-C: the demo deletes its directory
    }
  }

  @Test
  void theFirstScreenHasNoLogbackStatusLines() {
    List<String> screen = new ArrayList<>(demo.stderr());
    screen.addAll(demo.stdout());

    assertThat(demo.stdout()).anyMatch(l -> l.startsWith("stint demo is running."));
    assertThat(screen).noneMatch(l -> l.contains("ch.qos.logback"));
  }

  @Test
  void thePrintedAwsCliLineShowsTheDemoRoleAndAlicesSession() throws Exception {
    String export = printed("export STINT_SERVER=");
    URI server = URI.create(value(export, "STINT_SERVER"));
    String token = printed("export STINT_TOKEN=");
    String idp = between(token, "curl -s '", "/dev/token");
    grantDemoAdminToAlice(server, URI.create(idp));
    String awsLine = printed("AWS_PROFILE=");

    String out =
        shell(afterAwsSetup(export, token, "echo " + marker("caller"), awsLine + " --output json"));

    assertThat(awsLine).contains("--endpoint-url " + stsStandIn());
    JsonNode caller = new ObjectMapper().readTree(section(out, "caller"));
    assertThat(caller.path("Arn").asText())
        .isEqualTo("arn:aws:sts::111122223333:assumed-role/demo-admin/alice@demo.stint.invalid");
    assertThat(caller.path("UserId").asText()).endsWith(":alice@demo.stint.invalid");
    assertThat(caller.path("Account").asText()).isEqualTo("111122223333");
    assertThat(Files.readString(Path.of(value(export, "AWS_CONFIG_FILE"))))
        .contains("[profile demo-admin]");
    assertThat(home.resolve(".aws/config")).as("the person's own AWS config").doesNotExist();
  }

  @Test
  void keptKeysReadTheDemoBucketUntilTheRevokeAndAreDeniedAfterItAndStintServesNoMore()
      throws Exception {
    String export = printed("export STINT_SERVER=");
    String token = printed("export STINT_TOKEN=");
    String grant =
        grantDemoAdminToAlice(
            URI.create(value(export, "STINT_SERVER")),
            URI.create(between(token, "curl -s '", "/dev/token")));
    String kept = printed("aws s3 ls s3://stint-demo");
    String profile = printed("AWS_PROFILE=demo-admin aws s3 ls");
    String[] script =
        afterAwsSetup(
            export,
            token,
            "echo " + marker("profile"),
            profile,
            printed("eval \"$(bin/stint env demo-admin)"),
            "echo " + marker("kept"),
            kept,
            "echo " + marker("revoked"),
            // The walkthrough's "(CLI: bin/stint revoke ID)", for the grant just approved and any
            // other of alice's demo-admin grants the other tests made (the kept keys may be
            // theirs).
            "for id in "
                + String.join(" ", grants)
                + "; do bin/stint revoke --yes $id >/dev/null; done",
            untilRefused(kept),
            printed("unset AWS_"),
            "echo " + marker("profile-after"),
            profile + " || true");

    String out = shell(script);

    assertThat(grant).startsWith("req_");
    assertThat(section(out, "profile")).contains("PRE reports/").contains("hello.txt");
    assertThat(section(out, "kept")).contains("PRE reports/").contains("hello.txt");
    assertThat(section(out, "revoked"))
        .contains("An error occurred (AccessDenied) when calling the ListObjectsV2 operation")
        .doesNotContain("hello.txt");
    assertThat(section(out, "profile-after"))
        .contains("no active grant for profile demo-admin")
        .doesNotContain("hello.txt");
    // Listing the bucket is an S3 data event, which only the push brings: the demo's EventBridge
    // delivered it, so it shows as the activity of the grant whose keys read.
    URI server = URI.create(value(export, "STINT_SERVER"));
    URI idp = URI.create(between(token, "curl -s '", "/dev/token"));
    Eventually.until(
        "an S3 read shows as a grant's activity",
        Duration.ofMinutes(1),
        () -> {
          for (String id : List.copyOf(grants)) {
            String activity = cli(server, idp, "alice", "activity", id);
            if (activity.contains("s3.amazonaws.com") && activity.contains("ListObjects")) {
              return true;
            }
          }
          return false;
        });
  }

  @Test
  void keptOnCallKeysAreDeniedOnceTheTicketClosesAndStintEndsTheGrant() throws Exception {
    String kept = printed("aws s3 ls s3://stint-demo");
    String[] script = {
      "set -e",
      printed("export STINT_SERVER="),
      printed("export STINT_TOKEN="),
      printed("bin/stint request demo-oncall"),
      printed("eval \"$(bin/stint env demo-oncall)"),
      "echo " + marker("kept"),
      kept,
      printed("curl -d ticket="),
      "echo " + marker("closed"),
      untilRefused(kept)
    };

    String out = shell(script);

    assertThat(section(out, "kept")).contains("PRE reports/").contains("hello.txt");
    assertThat(section(out, "closed"))
        .contains("An error occurred (AccessDenied) when calling the ListObjectsV2 operation")
        .doesNotContain("hello.txt");
  }

  /**
   * Step 9 as printed: alice's narrowed request, bob's approval, then {@code stint setup aws}
   * writes the grant's AWS profile, whose keys list the bucket asked for and are refused the other.
   */
  @Test
  void theNarrowedGrantsAwsProfileListsItsBucketAndIsRefusedTheOther() throws Exception {
    String export = printed("export STINT_SERVER=");
    String token = printed("export STINT_TOKEN=");
    narrowedGrantToAlice(export, token);
    String mine = printed("aws s3 ls s3://stint-demo --profile");
    String other = printed("aws s3 ls s3://stint-demo-archive --profile");

    String out =
        shell(
            afterAwsSetup(
                export,
                token,
                "echo " + marker("mine"),
                mine,
                "echo " + marker("other"),
                other + " || true"));

    assertThat(section(out, "mine")).contains("PRE reports/").contains("hello.txt");
    assertThat(section(out, "other"))
        .contains("An error occurred (AccessDenied) when calling the ListObjectsV2 operation");
  }

  /**
   * Step 10 as printed, on a narrowed grant of step 9's: the lease's AWS profile lists the bucket
   * with the lease's token alone and the agent keeps the keys; once the lease is revoked, S3
   * refuses the kept keys (the deny stint's revocation wrote on the role names the lease's
   * session), the profile mints no more, and the grant's own profile still lists: a lease revoked
   * alone.
   */
  @Test
  void aLeaseRevokedAloneRefusesTheAgentsKeysAndLeavesItsGrant() throws Exception {
    String export = printed("export STINT_SERVER=");
    String token = printed("export STINT_TOKEN=");
    String request = narrowedGrantToAlice(export, token);
    String create = printed("bin/stint lease create ID ").replace(" ID ", " " + request + " ");
    String agent = printed("aws s3 ls s3://stint-demo --profile demo-agent");
    String kept = printed("aws s3 ls s3://stint-demo --region");
    String own = printed("aws s3 ls s3://stint-demo --profile demo-bucket-read.stint-demo");
    String show = withLease(printed("bin/stint lease show LEASE"));

    String out =
        shell(
            afterAwsSetup(
                export,
                token,
                "echo " + marker("created"),
                create + " >\"$TMPDIR/created.out\"",
                "cat \"$TMPDIR/created.out\"",
                "LEASE=$(grep -o 'lse_[a-z2-7]*' \"$TMPDIR/created.out\" | head -n 1)",
                "echo " + marker("agent"),
                agent,
                printed("eval \"$(aws configure export-credentials"),
                "echo " + marker("kept"),
                kept,
                "echo " + marker("shown"),
                show,
                "echo " + marker("revoked"),
                withLease(printed("bin/stint lease revoke LEASE")),
                untilRefused(kept),
                "echo " + marker("agent-after"),
                agent + " || true",
                "echo " + marker("own-after"),
                own,
                printed("unset AWS_"),
                "echo " + marker("shown-after"),
                show));

    assertThat(printed("The lease's task, policy and credentials:")).contains("/ui/leases/LEASE");
    assertThat(section(out, "created"))
        .contains("lease lse_", "of " + request + " (demo-bucket-read) is active until")
        .contains("task:       agent: list the stint-demo bucket")
        .contains("[profile demo-agent]");
    assertThat(section(out, "agent")).contains("PRE reports/").contains("hello.txt");
    assertThat(section(out, "kept")).contains("PRE reports/").contains("hello.txt");
    assertThat(section(out, "shown"))
        .contains("state:       active", "task:        agent: list the stint-demo bucket")
        .contains("parameters:  bucket=stint-demo", "arn:aws:s3:::stint-demo/*", "crd_");
    assertThat(section(out, "revoked"))
        .contains("is revoked: it mints no more credentials.")
        .contains("An error occurred (AccessDenied) when calling the ListObjectsV2 operation")
        .doesNotContain("hello.txt");
    assertThat(section(out, "agent-after")).contains("custom-process").doesNotContain("hello.txt");
    assertThat(section(out, "own-after")).contains("PRE reports/").contains("hello.txt");
    assertThat(section(out, "shown-after")).contains("state:       revoked", "ended:");
  }

  /**
   * Step 13 as printed: carol opens a review of demo-admin, which lists alice with her grants and a
   * suggestion; carol removes her, which revokes her live grants and refuses her next request
   * naming the review; carol's restore lets alice request again.
   */
  @Test
  void aReviewRemovesAliceWhoIsRefusedNamingItUntilCarolRestoresHer() throws Exception {
    String export = printed("export STINT_SERVER=");
    String token = printed("export STINT_TOKEN=");
    String idp = between(token, "curl -s '", "/dev/token");
    grantDemoAdminToAlice(URI.create(value(export, "STINT_SERVER")), URI.create(idp));
    String asAlice = printedWith("STINT_TOKEN=", "user=alice");
    String review = "\"$REVIEW\"";

    String out =
        shell(
            "set -e",
            export,
            printedWith("export STINT_TOKEN=", "user=carol"),
            "echo " + marker("opened"),
            printed("bin/stint access-review open") + " >\"$TMPDIR/opened.out\"",
            "cat \"$TMPDIR/opened.out\"",
            "REVIEW=$(grep -o 'rvw_[a-z0-9]*' \"$TMPDIR/opened.out\" | head -n 1)",
            "echo " + marker("shown"),
            printed("bin/stint access-review show").replace("REVIEW", review),
            "echo " + marker("decided"),
            printed("bin/stint access-review decide").replace("REVIEW", review),
            "echo " + marker("refused"),
            asAlice + " || true",
            "echo " + marker("restored"),
            printed("bin/stint access-review restore"),
            "echo " + marker("again"),
            asAlice);
    grants.clear(); // the removal revoked every live grant of alice's on demo-admin

    Matcher id = Pattern.compile("rvw_[a-z0-9]+").matcher(section(out, "opened"));
    assertThat(id.find()).as(out).isTrue();
    assertThat(printed("carol decides on")).contains("/ui/access-reviews/REVIEW");
    assertThat(section(out, "opened")).contains("of demo-admin: 1 person to review");
    assertThat(section(out, "shown"))
        .contains("by carol (" + idp + ")", "alice@demo.stint.invalid", "SUGGESTION")
        .containsPattern("alice@demo\\.stint\\.invalid .*groups eng\\) +[1-9]");
    assertThat(section(out, "decided"))
        .contains("remove alice@demo.stint.invalid", "the review is closed");
    assertThat(section(out, "refused")).contains(id.group(), "(forbidden").doesNotContain("req_");
    assertThat(section(out, "restored")).contains("restored alice (" + idp + ") to demo-admin");
    assertThat(section(out, "again")).contains("req_");
  }

  /** The walkthrough's line that starts with {@code start} and has {@code part} in it. */
  private static String printedWith(String start, String part) {
    return demo.allPrinted(start).stream().filter(l -> l.contains(part)).findFirst().orElseThrow();
  }

  /** {@code line} with the shell's {@code $LEASE} for the walkthrough's LEASE. */
  private static String withLease(String line) {
    return line.replace("LEASE", "\"$LEASE\"");
  }

  /**
   * Step 9's request and approval as printed: alice asks for demo-bucket-read on the demo bucket;
   * bob sees the bucket and the session policy it fills, and approves. The request's id.
   */
  private static String narrowedGrantToAlice(String export, String token) throws Exception {
    URI server = URI.create(value(export, "STINT_SERVER"));
    URI idp = URI.create(between(token, "curl -s '", "/dev/token"));
    String asked = printed("bin/stint request demo-bucket-read").substring("bin/stint ".length());
    String request = cli(server, idp, "alice", asked.split(" "));
    Matcher id = Pattern.compile("req_[a-z0-9]+").matcher(request);
    assertThat(id.find()).as(request).isTrue();
    assertThat(cli(server, idp, "bob", "show", id.group()))
        .contains("bucket")
        .contains("arn:aws:s3:::stint-demo/*");
    assertThat(cli(server, idp, "bob", "approve", id.group())).contains("active");
    return id.group();
  }

  /**
   * The walkthrough's step 4 as a script that stops at its first failure: {@code export} and {@code
   * token} (its STINT_SERVER and STINT_TOKEN lines) and its {@code bin/stint setup aws}, then
   * {@code then}.
   */
  private static String[] afterAwsSetup(String export, String token, String... then) {
    List<String> lines = new ArrayList<>(List.of("set -e", export, token));
    lines.add(printed("bin/stint setup aws"));
    lines.addAll(List.of(then));
    return lines.toArray(String[]::new);
  }

  /**
   * Runs {@code lines} in a shell of the test's own HOME, with the AWS CLI v2 on its PATH under the
   * name the walkthrough calls it by and a TMPDIR of its own; its output and errors together.
   */
  private static String shell(String... lines) throws Exception {
    Path work = Files.createTempDirectory(home, "shell");
    DemoProcess.Run run =
        demo.shErrorsInOut(
            Duration.ofSeconds(REFUSED_WITHIN + 60),
            demo.pathWithAwsCli(),
            Map.of("TMPDIR", work.toString()),
            lines);
    assertThat(run.exitCode()).as(run.out()).isZero();
    return run.out();
  }

  /** Requests of alice's this test approved: a test that revokes revokes them all. */
  private static final List<String> grants = Collections.synchronizedList(new ArrayList<>());

  /**
   * alice requests demo-admin; bob and carol (sre) approve, as in the walkthrough's step 3: the
   * request's id.
   */
  private static String grantDemoAdminToAlice(URI server, URI idp) throws Exception {
    String request =
        cli(server, idp, "alice", "request", "demo-admin", "--duration", "30m", "--reason", "it");
    Matcher id = Pattern.compile("req_[a-z0-9]+").matcher(request);
    assertThat(id.find()).as(request).isTrue();
    cli(server, idp, "bob", "approve", id.group());
    assertThat(cli(server, idp, "carol", "approve", id.group())).contains("active");
    grants.add(id.group());
    return id.group();
  }

  private static String cli(URI server, URI idp, String user, String... args) throws Exception {
    String token =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(idp + "/dev/token?user=" + user)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body()
            .strip();
    CliRun run =
        CliRun.run(
            home.resolve("cli-" + user),
            Map.of("STINT_SERVER", server.toString(), "STINT_TOKEN", token),
            args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out();
  }

  /** The walkthrough's line that starts (after its indent) with {@code start}, comment removed. */
  private static String printed(String start) {
    return demo.printed(start);
  }

  private static String stsStandIn() {
    return between(printed("AWS stand-ins"), "STS ", ",");
  }
}
