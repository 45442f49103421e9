package dev.stint.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.demo.DevClient;
import dev.stint.demo.DevIdp;
import dev.stint.demo.HttpForms;
import dev.stint.demo.LoopbackCallback;
import dev.stint.testing.ChromiumSession;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The development IdP's sign-in page in headless Chromium: it renders, says it is for development
 * only, and picking a user sends the browser back to the client with a code and the client's state.
 */
class DevSignInBrowserIT {
  static DevIdp idp;
  static ChromiumSession browser;

  @BeforeAll
  static void start() {
    ChromiumSession.requireChromium();
    idp =
        new DevIdp(
            DevClient.web("web", URI.create("http://127.0.0.1:1/ui/callback")),
            DevClient.nativeApp("cli"),
            "stint-api",
            Clock.systemUTC());
    browser = ChromiumSession.open();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (idp != null) {
      idp.close();
    }
  }

  @Test
  void aUserIsChosenOnTheSignInPageAndTheBrowserReturnsWithACode() throws Exception {
    try (LoopbackCallback client = new LoopbackCallback()) {
      WebDriver driver = browser.driver();
      driver.get(
          idp.issuer()
              + "/authorize?"
              + HttpForms.encode(
                  Map.of(
                      "response_type",
                      "code",
                      "client_id",
                      "cli",
                      "redirect_uri",
                      client.uri().toString(),
                      "scope",
                      "openid",
                      "state",
                      "state-xyz",
                      "nonce",
                      "n-1",
                      // RFC 7636's example challenge; this test never redeems the code.
                      "code_challenge",
                      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                      "code_challenge_method",
                      "S256")));
      assertThat(driver.getTitle()).isEqualTo(DevIdp.PAGE_TITLE);
      assertThat(driver.findElement(By.tagName("body")).getText())
          .contains("not for production")
          .contains("alice")
          .contains("bob")
          .contains("carol");
      browser.screenshot("dev-idp-sign-in");

      driver.findElement(By.id("user-bob")).click();

      Map<String, String> callback = client.await();
      assertThat(callback.get("state")).isEqualTo("state-xyz");
      assertThat(callback.get("code")).hasSizeGreaterThan(20);
      assertThat(driver.getCurrentUrl()).startsWith(client.uri().toString());
    }
  }
}
