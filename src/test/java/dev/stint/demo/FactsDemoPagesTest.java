package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.standin.JiraStandIn;
import dev.stint.standin.PagerDutyStandIn;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The demo's controls on the PagerDuty and Jira stand-ins: they change what the real APIs' paths
 * answer, refuse what they cannot do with a reason, and leave the APIs as they were (token, 401,
 * 404, 429, the count of calls).
 */
class FactsDemoPagesTest {
  static final String ALICE = "alice@demo.stint.invalid";
  static final String BOB = "bob@demo.stint.invalid";

  final PagerDutyStandIn pagerDuty = new PagerDutyStandIn("pd-token");
  final JiraStandIn jira = new JiraStandIn("jira-token");
  final HttpClient http = HttpClient.newHttpClient();

  FactsDemoPagesTest() {
    pagerDuty.onCall("PDEMO01", ALICE);
    pagerDuty.openControls(new OnCallDemoPage(pagerDuty)::answer);
    jira.issues().ticket("DEMO-1", "In Progress", "indeterminate", ALICE, "DEMO");
    jira.openControls(new TicketDemoPage(jira)::answer);
  }

  @AfterEach
  void stop() {
    pagerDuty.close();
    jira.close();
  }

  HttpResponse<String> post(URI base, String path, String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String url, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String onCallEmails() throws Exception {
    HttpResponse<String> r =
        get(
            pagerDuty.uri() + "/oncalls?schedule_ids%5B%5D=PDEMO01&include%5B%5D=users",
            "Token token=pd-token");
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body())
        .getJsonArray("oncalls").stream()
            .map(o -> ((JsonObject) o).getJsonObject("user").getString("email"))
            .toList()
            .toString();
  }

  @Test
  void theControlsAreWhereTheDemoLooksForThem() {
    assertThat(pagerDuty.controls().getPath()).isEqualTo(DemoControls.PATH);
    assertThat(jira.controls().getPath()).isEqualTo(DemoControls.PATH);
  }

  @Test
  void aHandOverChangesWhatOncallsAnswers() throws Exception {
    assertThat(onCallEmails()).isEqualTo("[" + ALICE + "]");
    HttpResponse<String> r = post(pagerDuty.controls(), "/oncall", "schedule=PDEMO01&who=bob");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(BOB + " is on call now in PDEMO01.\n");
    assertThat(onCallEmails()).isEqualTo("[" + BOB + "]");

    assertThat(post(pagerDuty.controls(), "/oncall", "schedule=PDEMO01&who=nobody").statusCode())
        .isEqualTo(200);
    assertThat(onCallEmails()).isEqualTo("[]");
    assertThat(pagerDuty.onCallNow()).containsEntry("PDEMO01", List.of());
  }

  @Test
  void closingAndReopeningATicketChangesWhatTheIssueAnswers() throws Exception {
    String issue = jira.uri() + "/rest/api/3/issue/DEMO-1?fields=status";
    HttpResponse<String> closed = post(jira.controls(), "/close", "ticket=demo-1");
    assertThat(closed.body()).isEqualTo("DEMO-1 is Done (done).\n");
    assertThat(get(issue, "Bearer jira-token").body()).contains("\"key\":\"done\"");
    assertThat(post(jira.controls(), "/reopen", "ticket=DEMO-1").body())
        .isEqualTo("DEMO-1 is In Progress (indeterminate).\n");
    assertThat(get(issue, "Bearer jira-token").body()).contains("\"key\":\"indeterminate\"");
  }

  @Test
  void theApisAreUnchangedAndControlCallsAreNotCountedOrThrottled() throws Exception {
    assertThat(get(pagerDuty.uri() + "/oncalls", null).statusCode()).isEqualTo(401);
    assertThat(get(jira.uri() + "/rest/api/3/issue/DEMO-1", "Bearer wrong").statusCode())
        .isEqualTo(401);
    assertThat(get(jira.uri() + "/rest/api/3/issue/NOPE-9", "Bearer jira-token").statusCode())
        .isEqualTo(404);
    jira.throttle(1, Duration.ofSeconds(7));
    assertThat(get(jira.controls().toString(), null).statusCode()).isEqualTo(200);
    HttpResponse<String> throttled =
        get(jira.uri() + "/rest/api/3/issue/DEMO-1", "Bearer jira-token");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(jira.calls()).as("the page is not a call of the API").isEqualTo(3);
    assertThat(get(pagerDuty.controls().toString(), null).statusCode()).isEqualTo(200);
    assertThat(pagerDuty.calls()).isEqualTo(1);
  }

  @Test
  void thePagesShowTheStateAndPostTheirForms() throws Exception {
    String onCall = get(pagerDuty.controls().toString(), null).body();
    assertThat(onCall)
        .contains(OnCallDemoPage.TITLE, "PDEMO01", ALICE, "action=\"/demo/oncall\"", "bob");
    String tickets = get(jira.controls().toString(), null).body();
    assertThat(tickets)
        .contains(TicketDemoPage.TITLE, "DEMO-1", "In Progress", "action=\"/demo/close\"");
  }

  /** A browser's form gets a page that goes back to the controls; a refusal stays to be read. */
  @Test
  void aBrowserIsSentBackToTheControls() throws Exception {
    HttpResponse<String> done =
        http.send(
            HttpRequest.newBuilder(URI.create(jira.controls() + "/close"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html,application/xhtml+xml")
                .header("Origin", "http://127.0.0.1:" + jira.uri().getPort())
                .POST(HttpRequest.BodyPublishers.ofString("ticket=DEMO-1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(done.body()).contains("http-equiv=\"refresh\"", "url=/demo", "DEMO-1 is Done");
  }

  @ParameterizedTest(name = "{0} {1} {2}: {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "pagerduty|POST|/oncall|schedule=PDEMO01&who=mallory|400|mallory is none of the demo's",
        "pagerduty|POST|/oncall|schedule=PNOPE99&who=bob|404|There is no schedule PNOPE99",
        "pagerduty|POST|/oncall|who=bob|400|Name the schedule and who",
        "pagerduty|GET|/oncall||405|/demo/oncall takes POST only",
        "pagerduty|POST|''|who=bob|405|/demo takes GET only",
        "pagerduty|POST|/elsewhere|who=bob|404|There is no /demo/elsewhere here",
        "pagerduty|POST|/oncall|schedule=%zz|400|The form does not decode",
        "jira|POST|/close|ticket=NOPE-9|404|There is no ticket NOPE-9",
        "jira|POST|/reopen|''|400|Name the ticket",
        "jira|GET|/close||405|/demo/close takes POST only",
      })
  void refusals(String standIn, String method, String path, String form, int status, String says)
      throws Exception {
    URI base = standIn.equals("jira") ? jira.controls() : pagerDuty.controls();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    HttpResponse<String> r =
        http.send(
            method.equals("GET")
                ? b.GET().build()
                : b.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form == null ? "" : form))
                    .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).contains(says);
    assertThat(pagerDuty.onCallNow()).containsEntry("PDEMO01", List.of(ALICE));
    assertThat(jira.issues().issue("DEMO-1").orElseThrow().category()).isEqualTo("indeterminate");
  }

  /** Another site's form, in the demo runner's browser, cannot hand the pager over. */
  @Test
  void aFormOfAnotherSiteIsRefused() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(pagerDuty.controls() + "/oncall"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://attacker.example")
                .POST(HttpRequest.BodyPublishers.ofString("schedule=PDEMO01&who=bob"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(pagerDuty.onCallNow()).containsEntry("PDEMO01", List.of(ALICE));
  }

  /**
   * A name rebound to 127.0.0.1 reaches the stand-in with its own Host: refused, so a page of that
   * site cannot read or change the controls. The Java client will not send another Host: a socket.
   */
  @Test
  void anotherHostIsRefused() throws Exception {
    try (Socket s = new Socket("127.0.0.1", jira.uri().getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /demo/close HTTP/1.1\r\nHost: rebound.example:"
                  + jira.uri().getPort()
                  + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  + "Content-Length: 13\r\nConnection: close\r\n\r\nticket=DEMO-1")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 421");
    }
    assertThat(jira.issues().issue("DEMO-1").orElseThrow().category()).isEqualTo("indeterminate");
  }
}
