package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pages show a bundle as one request: one row on the approvals page naming every profile, and
 * on each request's page the bundle it belongs to; approving there approves all of it.
 */
class WebBundleIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestIdp idp;
  static TestServer server;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    server = TestServer.start(TestPostgres.migratedDatabase(), Map.of(), WebTestSetup.policy(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  @Test
  void aBundleIsOneRowAndOneDecision() throws Exception {
    Browser bob = new Browser(server);
    assertThat(bob.signIn(idp, "bob", "sre").statusCode()).isEqualTo(303);
    Browser carol = new Browser(server);
    assertThat(carol.signIn(idp, "carol", "sre").statusCode()).isEqualTo(303);
    HttpResponse<String> created =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests"))
                .header("Authorization", "Bearer " + idp.token("alice", "sre", "eng"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"profiles\":[\"aws-prod\",\"gcp-view\"],"
                            + "\"duration_seconds\":1800,\"reason\":\"INC-77 both\"}"))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode bundle = JSON.readTree(created.body());
    String first = bundle.get("requests").get(0).get("id").asText();
    String second = bundle.get("requests").get(1).get("id").asText();

    String queue = bob.get("/ui/approvals").body();
    assertThat(queue).contains(first, "bundle (aws-prod, gcp-view)").doesNotContain(second);

    String page = bob.get("/ui/requests/" + second).body();
    assertThat(page)
        .contains("Bundle " + bundle.get("id").asText(), first, "does so for all of them");
    assertThat(bob.submit("/ui/requests/" + first + "/approve", Map.of()).statusCode())
        .isEqualTo(303);
    assertThat(carol.submit("/ui/requests/" + second + "/approve", Map.of()).statusCode())
        .isEqualTo(303);
    JsonNode after =
        JSON.readTree(
            server
                .get("/v1/requests/" + bundle.get("id").asText(), idp.token("alice", "sre", "eng"))
                .body());
    assertThat(after.get("state").asText()).isEqualTo("active");
    assertThat(after.get("grants")).hasSize(2);
  }
}
