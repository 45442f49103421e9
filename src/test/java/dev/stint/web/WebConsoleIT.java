package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSignin;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Open console" on a request page: a POST that mints the grant's AWS session through the real SDK
 * (against local fakes), audits the link like {@code POST /v1/console}, and redirects the browser
 * to the AWS sign-in URL. Only the requester of an active AWS grant gets it.
 */
class WebConsoleIT {
  static FakeSts sts;
  static FakeIam iam;
  static FakeSignin signin;
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTWEBTEST0001");
    System.setProperty("aws.secretAccessKey", "stint-web-test-secret-not-real-00000000000");
    sts = new FakeSts();
    iam = new FakeIam().createRole("prod-admin");
    signin = new FakeSignin();
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of(
                "STINT_AWS_STS_ENDPOINT",
                sts.uri().toString(),
                "STINT_AWS_IAM_ENDPOINT",
                iam.uri().toString(),
                "STINT_AWS_SIGNIN_ENDPOINT",
                signin.uri().toString(),
                "STINT_AWS_REGION",
                "eu-west-1"),
            WebTestSetup.policy(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    sts.close();
    iam.close();
    signin.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static Browser signedIn(String user, String... groups) {
    Browser b = new Browser(server);
    assertThat(b.signIn(idp, user, groups).statusCode()).isEqualTo(303);
    return b;
  }

  @Test
  void openConsoleRedirectsToAwsSignInForTheRequesterOnly() throws Exception {
    Browser vera = signedIn("vera", "sre");
    HttpResponse<String> created =
        vera.submit(
            "/ui/requests",
            Map.of("profile", "aws-prod", "duration_seconds", "3600", "reason", "INC-11 console"));
    String id =
        created.headers().firstValue("Location").orElseThrow().substring("/ui/requests/".length());
    // Before approval there is nothing to open.
    assertThat(vera.get("/ui/requests/" + id).body()).doesNotContain("Open console");
    assertThat(vera.submit("/ui/requests/" + id + "/console", Map.of()).statusCode())
        .isEqualTo(409);
    Browser bob = signedIn("bob", "sre");
    Browser carol = signedIn("carol", "sre");
    bob.submit("/ui/requests/" + id + "/approve", Map.of());
    carol.submit("/ui/requests/" + id + "/approve", Map.of());

    assertThat(vera.get("/ui/requests/" + id).body()).contains("Open console");
    HttpResponse<String> open = vera.submit("/ui/requests/" + id + "/console", Map.of());
    assertThat(open.statusCode()).as(open.body()).isEqualTo(303);
    assertThat(open.headers().firstValue("Location").orElseThrow())
        .startsWith(signin.uri() + "/federation?Action=login")
        .contains("&SigninToken=");
    assertThat(
            AuditTables.count(
                db,
                "type = 'console.issued' AND actor_subject = 'vera'"
                    + " AND user_agent IS NOT NULL"))
        .isEqualTo(1);

    // An approver sees the request but cannot open the requester's console.
    assertThat(bob.get("/ui/requests/" + id).body()).doesNotContain("Open console");
    assertThat(bob.submit("/ui/requests/" + id + "/console", Map.of()).statusCode()).isEqualTo(403);
    // Without the CSRF token, no console link is minted.
    assertThat(vera.post("/ui/requests/" + id + "/console", Map.of()).statusCode()).isEqualTo(403);
    assertThat(AuditTables.count(db, "type = 'console.issued'")).isEqualTo(1);
  }
}
