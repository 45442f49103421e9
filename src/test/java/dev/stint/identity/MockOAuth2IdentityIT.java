package dev.stint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mock-oauth2-server as the company IdP: discovery, JWKS and real signed tokens. */
class MockOAuth2IdentityIT {
  static MockOAuth2Server idp;
  static TestServer server;
  static String issuer;

  @BeforeAll
  static void start() throws Exception {
    idp = new MockOAuth2Server();
    idp.start(InetAddress.getByName("127.0.0.1"), 0);
    issuer = idp.issuerUrl("corp").toString().replaceAll("/$", "");
    server =
        TestServer.withPolicy(
            """
        admins: 'principal.groups.exists(g, g == "platform")'
        issuers:
          corp: {issuer: '%s', audience: stint, groups_claim: roles}
          ci: {issuer: '%s', audience: stint}
        login: {issuer: corp, client_id: stint-cli, scopes: [openid, email]}
        profiles:
          viewer:
            azure:
              tenant_id: 72f988bf-86f1-41af-91ab-2d7cd011db47
              client_id: 0b9c6a7e-3f0a-4e7e-9d3c-5f2b8a1c4d6e
              scope: https://management.azure.com/.default
            max_duration: 1h
            requesters: 'principal.groups.exists(g, g == "eng") && principal.issuer == "corp"'
            approval: {count: 1, approvers: 'true'}
        """
                .formatted(issuer, idp.issuerUrl("ci").toString().replaceAll("/$", "")));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.shutdown();
  }

  static String token(String issuerId, String audience, Map<String, Object> claims) {
    return idp.issueToken(issuerId, "alice", audience, claims, 600).serialize();
  }

  @Test
  void aTokenFromTheIdpIsAPrincipalWithGroupsFromTheConfiguredClaim() {
    String token =
        token("corp", "stint", Map.of("email", "alice@example.com", "roles", List.of("eng")));
    HttpResponse<String> r = server.get("/v1/whoami", token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject me = new JsonObject(r.body());
    assertThat(me.getString("issuer")).isEqualTo("corp");
    assertThat(me.getString("issuer_url")).isEqualTo(issuer);
    assertThat(me.getString("subject")).isEqualTo("alice");
    assertThat(me.getString("email")).isEqualTo("alice@example.com");
    assertThat(me.getJsonArray("groups").getList()).containsExactly("eng");

    HttpResponse<String> profiles = server.get("/v1/profiles", token);
    assertThat(
            new JsonObject(profiles.body())
                .getJsonArray("profiles")
                .getJsonObject(0)
                .getString("cloud"))
        .isEqualTo("azure");
  }

  @Test
  void theSameClaimsFromAnotherTrustedIssuerAreAnotherPrincipal() {
    String token = token("ci", "stint", Map.of("roles", List.of("eng")));
    HttpResponse<String> r = server.get("/v1/whoami", token);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("issuer")).isEqualTo("ci");
    assertThat(new JsonObject(server.get("/v1/profiles", token).body()).getJsonArray("profiles"))
        .isEmpty();
  }

  @Test
  void wrongAudienceAndUntrustedIssuerAre401() {
    assertThat(server.get("/v1/whoami", token("corp", "someone-else", Map.of())).statusCode())
        .isEqualTo(401);
    assertThat(server.get("/v1/whoami", token("elsewhere", "stint", Map.of())).statusCode())
        .isEqualTo(401);
  }

  @Test
  void loginPointsTheCliAtTheIdp() {
    HttpResponse<String> r = server.get("/v1/login");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject login = new JsonObject(r.body());
    assertThat(login.getString("issuer")).isEqualTo(issuer);
    assertThat(login.getString("client_id")).isEqualTo("stint-cli");
    assertThat(login.getJsonArray("scopes").getList()).containsExactly("openid", "email");
  }
}
