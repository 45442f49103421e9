package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.ChromiumSession;
import dev.stint.testing.CliRun;
import dev.stint.testing.Eventually;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The walkthrough's on-call steps against the real demo stack, with its PagerDuty and Jira
 * stand-ins: alice, on call with her ticket, gets demo-oncall at once and the approval records the
 * facts; bob, not on call, and alice without the ticket wait for an approver; the printed curl
 * closes her ticket on the Jira stand-in's controls and stint ends her grant itself, naming the
 * ticket on grant.revoked; the printed hand-over puts bob on call; and the controls' forms work
 * from a browser.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoFactsIT {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A lookup kept 30 s, then the next end_when round (10 s in the demo): well inside this. */
  static final Duration GRANT_ENDS_WITHIN = Duration.ofSeconds(90);

  static DemoStack stack;
  @TempDir static Path home;

  @BeforeAll
  static void start() throws Exception {
    stack = DemoStack.start(Path.of("policies", "demo"), 0, DemoCommandProvider::server);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  @Order(1)
  void theWalkthroughNamesBothStandInsAndTheirSteps() {
    String text = DemoWalkthrough.text(stack);
    assertThat(stack.standIns().pagerDuty().controls().getHost()).isEqualTo("127.0.0.1");
    assertThat(stack.standIns().jira().controls().getHost()).isEqualTo("127.0.0.1");
    assertThat(text)
        .contains("PagerDuty stand-in " + stack.standIns().pagerDuty().controls())
        .contains("Jira stand-in      " + stack.standIns().jira().controls())
        .contains(DemoWalkthrough.requestOnCall())
        .contains(DemoWalkthrough.closeTicket(stack))
        .contains(DemoWalkthrough.handOver(stack, "bob"))
        .contains("grant.revoked");
  }

  @Test
  @Order(2)
  void bobNotOnCallAndAliceWithoutHerTicketWaitForAnApprover() throws Exception {
    String bobs = requestId(cli("bob", onCallRequest()));
    assertThat(state(bobs, "bob")).isEqualTo("pending");
    assertThat(fact(event(bobs, "request.created"), "oncall(PDEMO01)").path("value").asBoolean())
        .as("bob is not on call")
        .isFalse();

    String alices =
        requestId(
            cli("alice", "request", "demo-oncall", "--duration", "30m", "--reason", "no ticket"));
    assertThat(state(alices, "alice")).isEqualTo("pending");
    assertThat(cli("alice", "cancel", alices)).contains("cancelled");
  }

  @Test
  @Order(3)
  void aliceOnCallIsApprovedAtOnceAndClosingHerTicketEndsHerGrant() throws Exception {
    String id = requestId(cli("alice", onCallRequest()));
    assertThat(state(id, "alice")).as("approved at once").isEqualTo("active");
    JsonNode onCall = fact(event(id, "request.approved"), "oncall(PDEMO01)");
    assertThat(onCall.path("value").asBoolean()).isTrue();
    assertThat(onCall.path("source").asText()).isEqualTo("pagerduty");

    String closed = sh(DemoWalkthrough.closeTicket(stack));
    assertThat(closed).contains(DemoStack.TICKET + " is Done");
    Eventually.until(
        "the grant ended by end_when",
        GRANT_ENDS_WITHIN,
        () -> "revoked".equals(state(id, "alice")));
    JsonNode revoked = event(id, "grant.revoked");
    assertThat(revoked.path("actor_issuer").asText() + "/" + revoked.path("actor_subject").asText())
        .as("revoked by stint itself")
        .isEqualTo("stint/system");
    assertThat(revoked.path("details").path("end_when").asText()).contains("status_category");
    JsonNode ticket = fact(revoked, "ticket");
    assertThat(ticket.path("source").asText()).isEqualTo("jira");
    assertThat(ticket.path("value").path("status_category").asText()).isEqualTo("done");
  }

  @Test
  @Order(4)
  void thePrintedHandOverPutsBobOnCall() throws Exception {
    assertThat(sh(DemoWalkthrough.handOver(stack, "bob"))).contains("bob@demo.stint.invalid");
    assertThat(stack.standIns().pagerDuty().onCallNow())
        .containsEntry(DemoStack.SCHEDULE, List.of("bob@demo.stint.invalid"));
  }

  /**
   * The controls' forms as a browser sends them (its Host, its same-origin Origin): the Jira page
   * reopens the ticket, the PagerDuty page puts carol on call, and each page comes back showing it.
   */
  @Test
  @Order(5)
  void theControlsWorkFromABrowser() {
    ChromiumSession.requireChromium();
    try (ChromiumSession browser = ChromiumSession.open()) {
      WebDriver d = browser.driver();
      d.get(stack.standIns().jira().controls().toString());
      assertThat(d.getTitle()).isEqualTo(TicketDemoPage.TITLE);
      d.findElement(By.xpath("//button[text()='Reopen']")).click();
      until(browser, "Close");
      assertThat(d.findElement(By.tagName("body")).getText()).contains("In Progress");
      browser.screenshot("demo-jira-controls");

      d.get(stack.standIns().pagerDuty().controls().toString());
      new Select(d.findElement(By.name("who"))).selectByVisibleText("carol");
      d.findElement(By.xpath("//button[text()='Put on call']")).click();
      new WebDriverWait(d, Duration.ofSeconds(20))
          .ignoring(WebDriverException.class)
          .until(
              x ->
                  x.getCurrentUrl().endsWith(DemoControls.PATH)
                      && x.findElement(By.tagName("body"))
                          .getText()
                          .contains("carol@demo.stint.invalid"));
      browser.screenshot("demo-pagerduty-controls");
    }
    assertThat(stack.standIns().pagerDuty().onCallNow())
        .containsEntry(DemoStack.SCHEDULE, List.of("carol@demo.stint.invalid"));
  }

  /** Waits for the controls page again, with a button labelled {@code button}. */
  private static void until(ChromiumSession browser, String button) {
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
        .ignoring(WebDriverException.class)
        .until(
            d ->
                d.getCurrentUrl().endsWith(DemoControls.PATH)
                    && !d.findElements(By.xpath("//button[text()='" + button + "']")).isEmpty());
  }

  /** The walkthrough's request line, as arguments to the CLI. */
  private static String[] onCallRequest() {
    String line = DemoWalkthrough.requestOnCall();
    assertThat(line).startsWith("bin/stint ");
    return line.substring("bin/stint ".length()).split(" ");
  }

  /** Runs a line the walkthrough prints, as a shell would; its output. */
  private static String sh(String line) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", line).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static String requestId(String printed) {
    Matcher id = Pattern.compile("req_[a-z0-9]+").matcher(printed);
    assertThat(id.find()).as(printed).isTrue();
    return id.group();
  }

  private static String state(String id, String user) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(stack.url().resolve("/v1/requests/" + id))
                    .header("Authorization", "Bearer " + stack.idp().cliToken(user).orElseThrow())
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("state").asText();
  }

  /** The request's newest event of {@code type}, from carol's audit export. */
  private static JsonNode event(String id, String type) throws Exception {
    return Eventually.get(
        type + " of " + id,
        Duration.ofSeconds(10),
        () -> {
          List<JsonNode> found = new ArrayList<>();
          for (String line :
              cli("carol", "audit", "export", "--since", "1h", "--format", "jsonl").split("\n")) {
            JsonNode e = JSON.readTree(line);
            if (id.equals(e.path("request_id").asText()) && type.equals(e.path("type").asText())) {
              found.add(e);
            }
          }
          return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
        });
  }

  private static JsonNode fact(JsonNode event, String name) {
    for (JsonNode f : event.path("details").path("facts")) {
      if (name.equals(f.path("name").asText())) {
        return f;
      }
    }
    throw new AssertionError("no fact " + name + " in " + event);
  }

  private static String cli(String user, String... args) {
    CliRun run =
        CliRun.run(
            home.resolve(user),
            Map.of(
                "STINT_SERVER",
                stack.url().toString(),
                "STINT_TOKEN",
                stack.idp().cliToken(user).orElseThrow()),
            args);
    assertThat(run.exitCode()).as(Arrays.toString(args) + ": " + run.err()).isZero();
    return run.out();
  }
}
