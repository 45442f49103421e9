package dev.stint.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.demo.DemoCommandProvider;
import dev.stint.demo.DemoStack;
import dev.stint.demo.DevIdp;
import dev.stint.demo.SigninStandIn;
import dev.stint.testing.ChromiumSession;
import dev.stint.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo's story in headless Chromium against the real demo stack: a signed-out visitor is sent
 * to sign in; alice signs in and requests; her own request offers her no approval and a forged one
 * is refused; a form without its CSRF token is refused; bob and carol (each in a browser of their
 * own) approve; alice opens the stand-in console and revokes; carol, an auditor, sees it all. Each
 * page is saved under target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static DemoStack stack;
  static ChromiumSession alice;
  static String requestId;

  @BeforeAll
  static void start() throws Exception {
    ChromiumSession.requireChromium();
    stack = DemoStack.start(Path.of("policies", "demo"), 0, DemoCommandProvider::server);
  }

  @AfterAll
  static void stop() {
    if (alice != null) {
      alice.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void aSignedOutVisitorIsSentToSignIn() {
    try (ChromiumSession visitor = ChromiumSession.open()) {
      visitor.driver().get(stack.url() + "/ui/requests/anything");
      waitForTitle(visitor, DevIdp.PAGE_TITLE);
      assertThat(visitor.driver().getCurrentUrl()).startsWith(stack.idp().issuer() + "/authorize?");
      visitor.screenshot("sign-in");
    }
  }

  @Test
  @Order(2)
  void aliceSignsInAndRequests() throws Exception {
    alice = signIn("alice", "/ui");
    WebDriver d = alice.driver();
    assertThat(body(alice)).contains("alice");
    alice.screenshot("home");
    linkAlicesSlack();
    d.get(stack.url() + "/ui");

    d.findElement(By.id("p-demo-admin")).click();
    new Select(d.findElement(By.id("duration"))).selectByValue("1800");
    d.findElement(By.id("ticket")).sendKeys("T-42");
    // Without the reason the profile requires: refused, and the form comes back as it was sent.
    d.findElement(By.cssSelector("form[action='/ui/requests'] button[type=submit]")).click();
    wait(alice).until(ExpectedConditions.presenceOfElementLocated(By.id("err-reason")));
    assertThat(d.findElement(By.id("err-reason")).getText()).contains("reason is required");
    assertThat(d.findElement(By.id("p-demo-admin")).isSelected()).isTrue();
    assertThat(new Select(d.findElement(By.id("duration"))).getFirstSelectedOption().getText())
        .isEqualTo("30m");
    assertThat(d.findElement(By.id("ticket")).getAttribute("value")).isEqualTo("T-42");
    alice.screenshot("request-refused-filled");

    d.findElement(By.id("reason")).sendKeys("Trying stint: INC-1234 follow-up");
    d.findElement(By.cssSelector("form[action='/ui/requests'] button[type=submit]")).click();
    wait(alice).until(ExpectedConditions.urlContains("/ui/requests/req_"));
    requestId = d.getCurrentUrl().substring(d.getCurrentUrl().lastIndexOf('/') + 1);
    assertThat(body(alice)).contains("demo-admin").contains("pending");
    alice.readmeScreenshot("ui-request");
  }

  @Test
  @Order(3)
  void aliceIsOfferedNoApprovalOfHerOwnRequestAndAForgedOneIsRefused() throws Exception {
    alice.driver().get(stack.url() + "/ui/requests/" + requestId);
    assertThat(alice.driver().findElements(By.cssSelector("button.approve"))).isEmpty();
    assertThat(body(alice)).contains("You cannot approve your own request");

    // The form the page does not offer, sent anyway with a valid CSRF token.
    String csrf = alice.driver().findElement(By.name("csrf")).getAttribute("value");
    post(alice, "/ui/requests/" + requestId + "/approve", Map.of("csrf", csrf));
    assertThat(body(alice)).containsIgnoringCase("cannot approve your own request");
    alice.screenshot("self-approval-refused");
    assertThat(api("alice", "/v1/requests/" + requestId).path("state").asText())
        .isEqualTo("pending");
  }

  @Test
  @Order(4)
  void aFormWithoutItsCsrfTokenIsRefused() throws Exception {
    alice.driver().get(stack.url() + "/ui");
    post(
        alice,
        "/ui/requests",
        Map.of("profile", "demo-admin", "duration_seconds", "900", "reason", "no token"));
    assertThat(alice.driver().getTitle()).contains("Forbidden");
    assertThat(body(alice)).contains("security token");
    alice.screenshot("csrf-refused");
    long requests = 0;
    for (JsonNode r : api("alice", "/v1/requests?mine=true").path("requests")) {
      requests++;
    }
    assertThat(requests).as("only the first request exists").isEqualTo(1);
  }

  @Test
  @Order(5)
  void bobAndCarolApproveInBrowsersOfTheirOwn() throws Exception {
    for (String approver : new String[] {"bob", "carol"}) {
      try (ChromiumSession session = signIn(approver, "/ui/approvals")) {
        assertThat(body(session)).contains(requestId);
        session.screenshot("approvals-" + approver);
        assertTablesFit(session);
        assertApproveFitsAPhone(session);
        session.driver().get(stack.url() + "/ui/requests/" + requestId);
        session.driver().findElement(By.cssSelector("button.approve")).click();
        wait(session).until(ExpectedConditions.presenceOfElementLocated(By.tagName("body")));
        session.screenshot("approved-by-" + approver);
      }
    }
    JsonNode r = api("alice", "/v1/requests/" + requestId);
    assertThat(r.path("state").asText()).isIn("approved", "active");
    // alice linked her Slack: the approval reaches her there, as the timeline says.
    String dms =
        Eventually.get(
            "alice's direct message about the approval",
            Duration.ofSeconds(20),
            () -> Optional.of(slackPage("U0ALICE")).filter(p -> p.contains("was approved")));
    assertThat(dms).contains(requestId).doesNotContain(":white_check_mark:");
  }

  /**
   * Slack in the header, as a signed-in person finds it: alice names her Slack member id, reads the
   * code stint sent her on the Slack stand-in's page, and types it back.
   */
  private static void linkAlicesSlack() throws Exception {
    WebDriver d = alice.driver();
    d.findElement(By.cssSelector("nav a[href='/ui/slack/link']")).click();
    wait(alice).until(ExpectedConditions.titleContains("Slack"));
    assertThat(body(alice)).contains("not linked");
    d.findElement(By.name("slack_user")).sendKeys("U0ALICE");
    d.findElement(By.cssSelector("form[action='/ui/slack/link'] button[type=submit]")).click();
    wait(alice).until(ExpectedConditions.presenceOfElementLocated(By.name("code")));
    Pattern sent = Pattern.compile("linking code is ([A-Z2-9]{8})");
    String code =
        Eventually.get(
            "the linking code in alice's Slack",
            Duration.ofSeconds(20),
            () -> {
              Matcher m = sent.matcher(slackPage("U0ALICE"));
              return m.find() ? Optional.of(m.group(1)) : Optional.empty();
            });
    d.findElement(By.name("code")).sendKeys(code);
    d.findElement(By.cssSelector("form[action='/ui/slack/link/confirm'] button")).click();
    wait(alice)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("body"), "U0ALICE is linked"));
    alice.screenshot("slack-linked");
  }

  /** What the Slack stand-in's page shows {@code member}: #approvals and their direct messages. */
  private static String slackPage(String member) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(stack.standIns().slack().uri() + "/?as=" + member))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  @Order(6)
  void aliceAsksForMoreTimeAndBobAndCarolApproveIt() throws Exception {
    WebDriver d = alice.driver();
    d.get(stack.url() + "/ui/requests/" + requestId);
    String endBefore =
        api("alice", "/v1/requests/" + requestId).path("grant").path("ends_at").asText();
    new Select(d.findElement(By.id("ext-by"))).selectByValue("900");
    d.findElement(By.id("ext-reason")).sendKeys("INC-1234 needs a little longer");
    d.findElement(By.cssSelector("form[action$='/extend'] button[type=submit]")).click();
    wait(alice)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("body"), "An extension is waiting for a decision"));
    assertThat(d.findElements(By.cssSelector("form[action^='/ui/extensions/'] button.approve")))
        .as("alice is offered no approval of her own extension")
        .isEmpty();
    alice.screenshot("extension-asked");

    for (String approver : new String[] {"bob", "carol"}) {
      try (ChromiumSession session = signIn(approver, "/ui/approvals")) {
        session.screenshot("extension-approvals-" + approver);
        assertTablesFit(session);
        session
            .driver()
            .findElement(By.cssSelector("form[action^='/ui/extensions/'] button.approve"))
            .click();
        wait(session).until(ExpectedConditions.urlContains("/ui/requests/" + requestId));
        session.screenshot("extension-approved-by-" + approver);
      }
    }
    String endAfter =
        api("alice", "/v1/requests/" + requestId).path("grant").path("ends_at").asText();
    assertThat(Duration.between(Instant.parse(endBefore), Instant.parse(endAfter)))
        .isEqualTo(Duration.ofMinutes(15));
    d.get(stack.url() + "/ui/requests/" + requestId);
    assertThat(body(alice)).contains("grant.extended");
  }

  @Test
  @Order(7)
  void aliceOpensTheStandInConsoleThenRevokes() throws Exception {
    WebDriver d = alice.driver();
    d.get(stack.url() + "/ui/requests/" + requestId);
    assertThat(body(alice)).contains("active");
    String stint = d.getWindowHandle();
    d.findElement(By.xpath("//button[normalize-space()='Open console']")).click();
    // The console opens in a tab of its own; stint stays where it was.
    wait(alice).until(ExpectedConditions.numberOfWindowsToBe(2));
    String console =
        d.getWindowHandles().stream().filter(h -> !h.equals(stint)).findFirst().orElseThrow();
    d.switchTo().window(console);
    waitForTitle(alice, SigninStandIn.CONSOLE_TITLE);
    alice.screenshot("console");
    d.close();
    d.switchTo().window(stint);
    assertThat(d.getCurrentUrl()).endsWith("/ui/requests/" + requestId);

    d.get(stack.url() + "/ui/requests/" + requestId);
    // Open console comes first; Revoke only leads to its confirmation, which revokes nothing.
    String buttons = d.findElement(By.cssSelector("section[aria-labelledby=act-h]")).getText();
    assertThat(buttons.indexOf("Open console"))
        .isNotNegative()
        .isLessThan(buttons.indexOf("Revoke"));
    assertThat(d.findElements(By.cssSelector("section[aria-labelledby=act-h] button.revoke")))
        .as("no revoke button on the request page")
        .isEmpty();
    d.findElement(By.cssSelector("a.revoke")).click();
    wait(alice).until(ExpectedConditions.titleContains("Revoke request"));
    assertThat(api("alice", "/v1/requests/" + requestId).path("state").asText())
        .as("the confirmation alone revokes nothing")
        .isIn("approved", "active");
    alice.readmeScreenshot("ui-revoke-confirm");
    d.findElement(By.id("revoke-reason")).sendKeys("INC-1234 fixed");
    d.findElement(By.cssSelector("button.revoke")).click();
    wait(alice)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "revoked"));
    assertThat(body(alice)).contains("INC-1234 fixed");
    alice.screenshot("revoked");
    assertThat(api("alice", "/v1/requests/" + requestId).path("state").asText())
        .isEqualTo("revoked");
  }

  @Test
  @Order(8)
  void carolTheAuditorSeesEveryStepAndAliceMayNot() {
    try (ChromiumSession carol = signIn("carol", "/ui/audit")) {
      wait(carol)
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.tagName("body"), "grant.revoked"));
      assertThat(body(carol))
          .contains(
              "request.created",
              "approval.recorded",
              "request.approved",
              "grant.extension_requested",
              "grant.extended",
              "console.issued",
              "grant.revoked",
              requestId);
      carol.readmeScreenshot("ui-audit");
      // At 1280 px the reason column has the room the fixed columns leave, at least 320 px.
      Number reason =
          (Number)
              ((JavascriptExecutor) carol.driver())
                  .executeScript(
                      "return document.querySelector('table.audit th:last-child')"
                          + ".getBoundingClientRect().width;");
      assertThat(reason.doubleValue()).as("reason column width in px").isGreaterThan(320);
      carol.driver().get(stack.url() + "/ui/break-glass");
      carol.screenshot("break-glass");
    }
    alice.driver().get(stack.url() + "/ui/audit");
    assertThat(body(alice)).contains("auditors").doesNotContain("request.created");
    alice.screenshot("audit-refused-for-alice");
  }

  @Test
  @Order(9)
  void thePagesFitAPhoneAndWorkFromTheKeyboard() {
    WebDriver d = alice.driver();
    d.manage().window().setSize(new Dimension(390, 844));
    try {
      for (String path :
          new String[] {"/ui", "/ui/requests/" + requestId, "/ui/approvals", "/ui/break-glass"}) {
        d.get(stack.url() + path);
        JavascriptExecutor js = (JavascriptExecutor) d;
        Number overflow =
            (Number)
                js.executeScript(
                    "return"
                        + " document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        // Wide tables scroll inside their own box; anything else that is too wide is named.
        Object tooWide =
            js.executeScript(
                "return Array.from(document.querySelectorAll('body *'))"
                    + ".filter(e => !e.closest('.scroll') && e.scrollWidth > e.clientWidth + 1)"
                    + ".map(e => e.tagName + ' ' + e.textContent.slice(0, 40)).join(' | ');");
        assertThat(overflow.longValue())
            .as(path + " scrolls sideways on a phone: " + tooWide)
            .isLessThanOrEqualTo(0L);
      }
      d.get(stack.url() + "/ui/requests/" + requestId);
      alice.screenshot("phone-request");
    } finally {
      d.manage().window().setSize(new Dimension(1280, 900));
    }

    // A request made with the keyboard alone: Tab to the profile, Space, Tab to the reason, Enter.
    d.get(stack.url() + "/ui");
    boolean sent = false;
    for (int i = 0; i < 80 && !sent; i++) {
      d.switchTo().activeElement().sendKeys(Keys.TAB);
      WebElement focused = d.switchTo().activeElement();
      if ("p-demo-admin".equals(focused.getAttribute("id"))) {
        focused.sendKeys(Keys.SPACE);
      } else if ("reason".equals(focused.getAttribute("id"))) {
        focused.sendKeys("INC-5 typed without a mouse", Keys.ENTER);
        sent = true;
      }
    }
    assertThat(sent).as("Tab reaches the reason field").isTrue();
    wait(alice).until(ExpectedConditions.urlContains("/ui/requests/req_"));
    assertThat(body(alice)).contains("INC-5 typed without a mouse").contains("demo-admin");
  }

  /**
   * At 390 px the request page, with its credentials, and the audit are cards, not tables cut off
   * at the right: the page never scrolls sideways and no table hides a column in its scroll box.
   */
  @Test
  @Order(10)
  void theCredentialsAndTheAuditFitAPhone() {
    try (ChromiumSession carol = signIn("carol", "/ui/audit")) {
      WebDriver d = carol.driver();
      d.manage().window().setSize(new Dimension(390, 844));
      for (String path : new String[] {"/ui/requests/" + requestId, "/ui/audit"}) {
        d.get(stack.url() + path);
        JavascriptExecutor js = (JavascriptExecutor) d;
        Object widths =
            js.executeScript(
                """
            const doc = document.documentElement;
            const hidden = [...document.querySelectorAll('.scroll')]
                .map(e => e.scrollWidth - e.clientWidth).reduce((a, b) => Math.max(a, b), 0);
            return [doc.scrollWidth, doc.clientWidth, hidden,
                document.querySelectorAll('table').length];""");
        List<?> w = (List<?>) widths;
        long scroll = ((Number) w.get(0)).longValue();
        long client = ((Number) w.get(1)).longValue();
        assertThat(client).as("a phone-sized window").isLessThanOrEqualTo(400);
        assertThat(((Number) w.get(3)).longValue()).as(path + " has its table").isPositive();
        assertThat(scroll).as(path + ": page width at 390 px").isLessThanOrEqualTo(client);
        assertThat(((Number) w.get(2)).longValue())
            .as(path + ": pixels of a table hidden in its scroll box")
            .isZero();
      }
      d.get(stack.url() + "/ui/requests/" + requestId);
      Object card =
          ((JavascriptExecutor) d)
              .executeScript(
                  "return getComputedStyle(document.querySelector("
                      + "'td[data-label=\"Key or fingerprint\"]')).display;");
      assertThat(card).as("each credential is a card of labelled cells").isEqualTo("block");
      carol.screenshot("phone-request-credentials");
      d.get(stack.url() + "/ui/audit");
      carol.screenshot("phone-audit");
    }
  }

  private static ChromiumSession signIn(String user, String path) {
    ChromiumSession session = ChromiumSession.open();
    session.driver().get(stack.url() + path);
    waitForTitle(session, DevIdp.PAGE_TITLE);
    session.driver().findElement(By.id("user-" + user)).click();
    wait(session).until(ExpectedConditions.urlToBe(stack.url() + path));
    // The URL changes when the page starts loading. Until its stylesheet has applied, a button
    // can still move, and a click aimed at it lands on <main> (seen once on a loaded CI run).
    wait(session)
        .until(
            d ->
                "complete"
                    .equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    return session;
  }

  /**
   * On a laptop-sized window no table scrolls sideways: the decision buttons in its last column are
   * in sight, not hidden past the edge of its scroll box (where a click can miss them).
   */
  private static void assertTablesFit(ChromiumSession session) {
    Object hidden =
        ((JavascriptExecutor) session.driver())
            .executeScript(
                """
        return [...document.querySelectorAll('.scroll')]
            .map(e => e.scrollWidth - e.clientWidth).reduce((a, b) => Math.max(a, b), 0);""");
    assertThat(((Number) hidden).longValue()).as("pixels of a table out of sight").isZero();
  }

  /**
   * In a phone-sized window (390 px) the approvals list is a stack of cards: the Approve button is
   * inside the viewport, not off to the side of a table's scroll box.
   */
  private static void assertApproveFitsAPhone(ChromiumSession session) {
    WebDriver d = session.driver();
    d.manage().window().setSize(new Dimension(390, 844));
    try {
      d.navigate().refresh();
      WebElement approve = d.findElement(By.cssSelector("button.approve"));
      Object fits =
          ((JavascriptExecutor) d)
              .executeScript(
                  """
          const b = arguments[0].getBoundingClientRect();
          const w = document.documentElement.clientWidth;
          return b.left >= 0 && b.right <= w && w <= 400
              && document.documentElement.scrollWidth <= w;""",
                  approve);
      session.readmeScreenshot("ui-approvals-phone");
      assertThat(fits).as("Approve inside a 390 px viewport, no sideways scroll").isEqualTo(true);
    } finally {
      d.manage().window().setSize(new Dimension(1280, 900));
      d.navigate().refresh();
    }
  }

  /** Submits a form the page does not have, as a hostile page or a hand-made request would. */
  private static void post(ChromiumSession session, String action, Map<String, String> fields) {
    WebElement page = session.driver().findElement(By.tagName("html"));
    ((JavascriptExecutor) session.driver())
        .executeScript(
            """
        const f = document.createElement('form');
        f.method = 'post';
        f.action = arguments[0];
        for (const [k, v] of Object.entries(arguments[1])) {
          const i = document.createElement('input');
          i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i);
        }
        document.body.appendChild(f);
        f.submit();""",
            action,
            fields);
    wait(session).until(ExpectedConditions.stalenessOf(page));
  }

  private static String body(ChromiumSession session) {
    return session.driver().findElement(By.tagName("body")).getText();
  }

  private static void waitForTitle(ChromiumSession session, String title) {
    wait(session).until(ExpectedConditions.titleIs(title));
  }

  /**
   * Waits that look again when the page is replaced under them: a form post navigates, and asking
   * the old document's body for its text then fails ("does not belong to the document") rather than
   * answering. Only the time limit fails a wait.
   */
  private static WebDriverWait wait(ChromiumSession session) {
    WebDriverWait wait = new WebDriverWait(session.driver(), Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class);
    wait.ignoring(WebDriverException.class);
    return wait;
  }

  /** The JSON API's view, with a token for {@code user} from the dev IdP. */
  private static JsonNode api(String user, String path) throws Exception {
    String token = stack.idp().cliToken(user).orElseThrow();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.url() + path))
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
