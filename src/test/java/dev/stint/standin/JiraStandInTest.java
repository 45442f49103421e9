package dev.stint.standin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Jira stand-in answers and refuses as Jira's REST API reference says. */
class JiraStandInTest {
  static final String CLOUD_TOKEN = "alice@example.com:ATATT3xFfGF0token";
  static final String BASIC =
      "Basic " + Base64.getEncoder().encodeToString(CLOUD_TOKEN.getBytes(StandardCharsets.UTF_8));

  final JiraStandIn jira = new JiraStandIn(CLOUD_TOKEN);
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    jira.close();
  }

  HttpResponse<String> get(String pathAndQuery, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jira.uri() + pathAndQuery));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCloudTokenIsAcceptedOnlyAsBasicAndAWrongOneIsRefused() throws Exception {
    jira.issues().ticket("OPS-1", "To Do", "new", null, "OPS");

    assertThat(get("/rest/api/3/issue/OPS-1", BASIC).statusCode()).isEqualTo(200);
    for (String wrong : new String[] {null, "Bearer " + CLOUD_TOKEN, "Basic d3Jvbmc="}) {
      HttpResponse<String> refused = get("/rest/api/3/issue/OPS-1", wrong);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).isEqualTo("Client must be authenticated to access this resource.");
    }
  }

  @Test
  void aPersonalAccessTokenIsAcceptedOnlyAsBearer() throws Exception {
    try (JiraStandIn dataCenter = new JiraStandIn("pat-123")) {
      dataCenter.issues().ticket("OPS-1", "To Do", "new", null, "OPS");
      String url = dataCenter.uri() + "/rest/api/3/issue/OPS-1";
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(url))
                          .header("Authorization", "Bearer pat-123")
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void anIssueHasTheFieldsAskedForWithItsStatusCategory() throws Exception {
    jira.issues().ticket("OPS-2", "In Progress", "indeterminate", "bob@example.com", "OPS");

    JsonObject issue =
        new JsonObject(get("/rest/api/3/issue/ops-2?fields=status,assignee", BASIC).body());
    assertThat(issue.getString("key")).isEqualTo("OPS-2");
    JsonObject fields = issue.getJsonObject("fields");
    assertThat(fields.getJsonObject("status").getString("name")).isEqualTo("In Progress");
    assertThat(fields.getJsonObject("status").getJsonObject("statusCategory").getString("key"))
        .isEqualTo("indeterminate");
    assertThat(fields.getJsonObject("assignee").getString("emailAddress"))
        .isEqualTo("bob@example.com");
    assertThat(fields.containsKey("project")).isFalse();
  }

  @Test
  void anUnknownOrRemovedIssueIs404WithJirasErrorCollection() throws Exception {
    jira.issues().ticket("OPS-3", "To Do", "new", null, "OPS");
    jira.issues().remove("OPS-3");

    HttpResponse<String> answer = get("/rest/api/3/issue/OPS-3", BASIC);
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(answer.body()))
        .isEqualTo(
            new JsonObject(
                "{\"errorMessages\":[\"Issue does not exist or you do not have permission to see"
                    + " it.\"],\"errors\":{}}"));
  }

  @Test
  void closingAnIssueMovesItToDone() throws Exception {
    jira.issues().ticket("OPS-4", "In Progress", "indeterminate", null, "OPS");
    jira.issues().close("OPS-4");

    JsonObject status =
        new JsonObject(get("/rest/api/3/issue/OPS-4", BASIC).body())
            .getJsonObject("fields")
            .getJsonObject("status");
    assertThat(status.getString("name")).isEqualTo("Done");
    assertThat(status.getJsonObject("statusCategory").getString("key")).isEqualTo("done");
  }

  @Test
  void aThrottledCallIs429WithRetryAfter() throws Exception {
    jira.throttle(2, Duration.ofSeconds(30));

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> throttled = get("/rest/api/3/issue/OPS-1", BASIC);
      assertThat(throttled.statusCode()).isEqualTo(429);
      assertThat(throttled.headers().firstValue("Retry-After")).contains("30");
    }
    assertThat(get("/rest/api/3/issue/OPS-1", BASIC).statusCode()).isEqualTo(404);
    assertThat(jira.calls()).isEqualTo(3);
  }
}
