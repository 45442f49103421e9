package dev.stint.demo;

import static dev.stint.demo.WalkthroughScript.REFUSED_WITHIN;
import static dev.stint.demo.WalkthroughScript.between;
import static dev.stint.demo.WalkthroughScript.marker;
import static dev.stint.demo.WalkthroughScript.section;
import static dev.stint.demo.WalkthroughScript.untilRefused;
import static dev.stint.demo.WalkthroughScript.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import dev.stint.testing.Eventually;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step 11 of {@code bin/stint demo}'s walkthrough as a person runs it (the launcher, the built jar,
 * the real AWS CLI v2, the lines as printed): a lease's agent tries {@code iam:CreateAccessKey},
 * which the IAM stand-in refuses as IAM would; CloudTrail's record of the attempt, pushed as
 * EventBridge pushes it, raises the finding {@code escape}, which the demo policy ends the lease
 * for: the agent's kept keys are refused by S3 (the lease's session denied), and the finding is in
 * {@code stint findings}, on the lease's page with its call marked, and in the Slack stand-in.
 */
class DemoFindingIT {
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
  void anAgentsRefusedCreateAccessKeyRaisesEscapeWhichEndsItsLease() throws Exception {
    String export = printed("export STINT_SERVER=");
    String token = printed("export STINT_TOKEN=");
    URI server = URI.create(value(export, "STINT_SERVER"));
    URI idp = URI.create(between(token, "curl -s '", "/dev/token"));
    String request = narrowedGrantToAlice(server, idp);
    String create =
        printedWith("bin/stint lease create ID ", "tidy").replace(" ID ", " " + request + " ");
    String attempt = printed("aws iam create-access-key");
    String kept = printed("aws s3 ls s3://stint-demo --region");

    String out =
        shell(
            "set -e",
            export,
            token,
            printed("bin/stint setup aws"),
            create + " >\"$TMPDIR/created.out\"",
            "LEASE=$(grep -o 'lse_[a-z2-7]*' \"$TMPDIR/created.out\" | head -n 1)",
            "echo " + marker("lease") + "; echo \"$LEASE\"",
            printed("eval \"$(aws configure export-credentials"),
            "echo " + marker("kept"),
            kept,
            "echo " + marker("attempt"),
            attempt + " || true",
            "echo " + marker("ended"),
            untilRefused(kept),
            "echo " + marker("findings"),
            printed("bin/stint findings LEASE").replace("LEASE", "\"$LEASE\""));

    String lease = section(out, "lease").strip();
    assertThat(lease).startsWith("lse_");
    assertThat(attempt).contains("--endpoint-url " + iamStandIn());
    assertThat(section(out, "kept")).contains("hello.txt");
    assertThat(section(out, "attempt"))
        .contains("An error occurred (AccessDenied) when calling the CreateAccessKey operation")
        .contains("is not authorized to perform: iam:CreateAccessKey on resource: user")
        .contains("agent-backdoor");
    assertThat(section(out, "ended"))
        .contains("An error occurred (AccessDenied) when calling the ListObjectsV2 operation")
        .doesNotContain("hello.txt");
    assertThat(section(out, "findings"))
        .contains("escape", "high", "lease_ended", "iam:CreateAccessKey");
    assertThat(printed("The finding is on the lease's page")).contains("/ui/leases/LEASE");
    String page = webPage(server, "alice", "/ui/leases/" + lease);
    assertThat(page).contains("<code>escape</code>", "lease ended", "class=\"flagged\"");
    Eventually.until(
        "the finding in the Slack stand-in's #approvals",
        Duration.ofSeconds(30),
        () -> {
          String slack = get(URI.create(slackStandIn() + "/?as=U0BOB"));
          return slack.contains("finding") && slack.contains("escape") && slack.contains(lease);
        });
  }

  /** Step 9's request and bob's approval, as printed: the request's id. */
  private static String narrowedGrantToAlice(URI server, URI idp) throws Exception {
    String asked = printed("bin/stint request demo-bucket-read").substring("bin/stint ".length());
    Matcher id =
        Pattern.compile("req_[a-z0-9]+").matcher(cli(server, idp, "alice", asked.split(" ")));
    assertThat(id.find()).isTrue();
    assertThat(cli(server, idp, "bob", "approve", id.group())).contains("active");
    return id.group();
  }

  /**
   * {@code path} as {@code user} sees it on the web: signed in through the development IdP's picker
   * as a browser would (stint's login, the IdP's form, the callback), with the session's cookies.
   */
  private static String webPage(URI server, String user, String path) throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(server.resolve("/ui/login")).build(),
            HttpResponse.BodyHandlers.ofString());
    URI authorize = URI.create(login.headers().firstValue("Location").orElseThrow());
    Map<String, String> form = new LinkedHashMap<>(HttpForms.parse(authorize.getRawQuery()));
    form.put("user", user);
    HttpResponse<String> picked =
        http.send(
            HttpRequest.newBuilder(URI.create(authorize.toString().split("\\?")[0]))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(HttpForms.encode(form)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    URI callback = URI.create(picked.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> signedIn =
        http.send(HttpRequest.newBuilder(callback).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(server.resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    return page.body();
  }

  private static String get(URI uri) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String cli(URI server, URI idp, String user, String... args) throws Exception {
    String token = get(URI.create(idp + "/dev/token?user=" + user)).strip();
    CliRun run =
        CliRun.run(
            home.resolve("cli-" + user),
            Map.of("STINT_SERVER", server.toString(), "STINT_TOKEN", token),
            args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out();
  }

  /** Runs {@code lines} in a shell with the AWS CLI v2 on its PATH: output and errors together. */
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

  private static String printed(String start) {
    return demo.printed(start);
  }

  private static String printedWith(String start, String part) {
    List<String> all = new ArrayList<>(demo.allPrinted(start));
    Optional<String> found = all.stream().filter(l -> l.contains(part)).findFirst();
    assertThat(found).as(start + " with " + part + " in " + all).isPresent();
    return found.get();
  }

  private static String iamStandIn() {
    return between(printed("AWS stand-ins") + ",", "IAM ", ",");
  }

  private static String slackStandIn() {
    return between(printed("Slack stand-in") + " ", "Slack stand-in", "/ ").strip();
  }
}
