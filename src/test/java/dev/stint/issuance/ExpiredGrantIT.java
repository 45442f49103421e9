package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeSts;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A grant whose window has passed mints nothing, on a server whose clock the test moves. */
class ExpiredGrantIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anExpiredGrantIsRefusedAndTheSweeperRecordsItsEnd() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    DatabaseUrl db = TestPostgres.migratedDatabase();
    try (TestIdp idp = new TestIdp("corp");
        FakeSts sts = new FakeSts();
        TestServer server =
            TestServer.start(
                db,
                Map.of(
                    "STINT_AWS_STS_ENDPOINT",
                    sts.uri().toString(),
                    "STINT_AWS_REGION",
                    "eu-west-1"),
                TestPolicies.requests(idp),
                clock)) {
      System.setProperty("aws.accessKeyId", "AKIASTINTE2ETEST0002");
      System.setProperty("aws.secretAccessKey", "stint-e2e-test-secret-not-real-0000000001");
      String id =
          post(
                  server,
                  idp.token("alice", "eng"),
                  "/v1/requests",
                  "{\"profile\":\"prod\",\"duration_seconds\":1800,\"reason\":\"INC-3\"}")
              .get("id")
              .asText();
      post(server, idp.token("bob", "sre"), "/v1/requests/" + id + "/approve", "{}");
      post(server, idp.token("carol", "sre"), "/v1/requests/" + id + "/approve", "{}");
      assertThat(
              post(server, idp.token("alice", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}")
                  .has("access_key_id"))
          .isTrue();

      clock.advance(Duration.ofMinutes(31));
      JsonNode refused =
          post(server, idp.token("alice", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}");
      assertThat(refused.get("code").asText()).isEqualTo("approval_required");
      assertThat(
              post(server, idp.token("alice", "eng"), "/v1/requests/" + id + "/revoke", "{}")
                  .get("detail")
                  .asText())
          .isEqualTo("the grant has already ended");
      JsonNode shown = get(server, idp.token("alice", "eng"), "/v1/requests/" + id);
      assertThat(shown.get("state").asText()).isEqualTo("expired");
      assertThat(sts.assumeCalls()).hasSize(1);
      AuditTables.await(server.server().rounds().sweep());
      assertThat(AuditTables.count(db, "type = 'grant.expired' AND request_id = '" + id + "'"))
          .isEqualTo(1);
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  static JsonNode post(TestServer server, String token, String path, String body) throws Exception {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    return JSON.readTree(r.body());
  }

  static JsonNode get(TestServer server, String token, String path) throws Exception {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
    return JSON.readTree(r.body());
  }
}
