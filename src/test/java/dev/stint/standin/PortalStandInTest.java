package dev.stint.standin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The access portal stand-in answers {@code GetRoleCredentials} as the portal does: a session of
 * the assigned permission set's role named for the signed-in user, and its refusals (no or an
 * unknown token, a missing parameter, a role the user is not assigned in that account); its sign-in
 * control hands tokens only for users the identity store holds.
 */
class PortalStandInTest {
  static final String ACCOUNT = "111122223333";
  static final String ROLE =
      "arn:aws:iam::" + ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Read_0a";
  private final IdentityStoreStandIn store = new IdentityStoreStandIn("d-0123456789");
  private final IdentityStoreStandIn.User pat = store.addUser("pat@example.com");
  private final List<String> started = new ArrayList<>();
  private final PortalStandIn portal =
      new PortalStandIn(
          store,
          (account, set, userId) ->
              ACCOUNT.equals(account) && "Read".equals(set) && pat.userId().equals(userId)
                  ? Optional.of(ROLE)
                  : Optional.empty(),
          (role, session, lasts) -> {
            started.add(role + " " + session + " " + lasts);
            return StsDocuments.credentials(new SecureRandom(), Instant.now().plus(lasts));
          });
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void tearDown() {
    portal.close();
    store.close();
  }

  private HttpResponse<String> get(URI uri, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header(PortalStandIn.TOKEN_HEADER, token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String token(String user) throws Exception {
    return get(URI.create(portal.tokens() + "?user=" + user), null).body().strip();
  }

  private HttpResponse<String> credentials(String token, String role, String account)
      throws Exception {
    return get(
        URI.create(
            portal.uri() + PortalStandIn.PATH + "?role_name=" + role + "&account_id=" + account),
        token);
  }

  @Test
  void anAssignedUserGetsASessionOfTheRoleNamedForThem() throws Exception {
    HttpResponse<String> answer = credentials(token("PAT@example.com"), "Read", ACCOUNT);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonObject c = new JsonObject(answer.body()).getJsonObject("roleCredentials");
    assertThat(c.getString("accessKeyId")).startsWith("ASIA");
    assertThat(c.getString("sessionToken")).isNotEmpty();
    assertThat(c.getLong("expiration")).isGreaterThan(Instant.now().toEpochMilli());
    // The directory's own spelling of the name, as the session's aws:userid carries it.
    assertThat(started).containsExactly(ROLE + " pat@example.com " + PortalStandIn.SESSION);
  }

  @Test
  void refusesAsThePortalDoes() throws Exception {
    String token = token("pat@example.com");

    HttpResponse<String> none = credentials(null, "Read", ACCOUNT);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("x-amzn-ErrorType")).contains("UnauthorizedException");
    assertThat(credentials("aoa-made-up", "Read", ACCOUNT).statusCode()).isEqualTo(401);
    assertThat(credentials(token, "Read", "12345").statusCode()).isEqualTo(400);
    HttpResponse<String> other = credentials(token, "Admin", ACCOUNT);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.headers().firstValue("x-amzn-ErrorType")).contains("ForbiddenException");
    assertThat(other.body()).contains("No access");
    assertThat(credentials(token, "Read", "444455556666").statusCode()).isEqualTo(403);
    assertThat(started).isEmpty();
  }

  @Test
  void handsTokensOnlyForUsersTheStoreHolds() throws Exception {
    HttpResponse<String> answer = get(URI.create(portal.tokens() + "?user=kim@example.com"), null);

    assertThat(answer.statusCode()).isEqualTo(404);
  }
}
