package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code stint serve} does with the shipped policies (what {@code make run CONFIG=…} serves
 * until they are edited): it starts, since an issuer never blocks start-up, and tells the CLI where
 * to log in, but it is not ready, naming the placeholder IdP, since nobody can sign in there. Tests
 * resolve no name but localhost, so the issuers are asked and never reached.
 */
class ShippedPoliciesServeIT {
  @Test
  void startsNotReadyNamingThePlaceholderIssuerAndTellsTheCliWhereToLogIn() throws Exception {
    try (TestServer server =
        TestServer.start(TestPostgres.migratedDatabase(), Map.of("STINT_POLICIES", "policies"))) {
      HttpResponse<String> ready = server.get("/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(ready.body()).getJsonObject("checks").getString("issuers"))
          .startsWith(
              "no identity provider for people can be reached: corp (https://login.example.com,"
                  + " a placeholder: no identity provider is there)");
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
