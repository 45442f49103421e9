package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code make run} does: serve the shipped policies. Their issuers are not reachable from a
 * test (and are never contacted here): start-up and readiness must not depend on them.
 */
class ShippedPoliciesServeIT {
  @Test
  void startsReadyWithTheShippedPoliciesAndTellsTheCliWhereToLogIn() throws Exception {
    try (TestServer server =
        TestServer.start(TestPostgres.migratedDatabase(), Map.of("STINT_POLICIES", "policies"))) {
      assertThat(server.get("/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> login = server.get("/v1/login");
      assertThat(login.statusCode()).isEqualTo(200);
      JsonObject body = new JsonObject(login.body());
      assertThat(body.getString("issuer")).isEqualTo("https://login.example.com");
      assertThat(body.getString("client_id")).isEqualTo("stint-cli");
      assertThat(body.getJsonArray("scopes").getList())
          .containsExactly("openid", "profile", "email", "groups");
      HttpResponse<String> anonymous = server.get("/v1/profiles");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(new JsonObject(anonymous.body()).getString("code")).isEqualTo("unauthenticated");
    }
  }
}
