package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * A test server's directory filled as an identity provider fills it over SCIM: users (each with
 * {@code NAME@example.com}) and groups, each write answered {@code 201} or the test fails.
 */
public final class ScimWrites {
  private final TestServer server;
  private final String token;

  public ScimWrites(TestServer server, String token) {
    this.server = server;
    this.token = token;
  }

  /** A user {@code name} whose externalId is {@code externalId}; answers the directory's id. */
  public String user(String name, String externalId, boolean active) {
    JsonObject body =
        new JsonObject()
            .put("schemas", new JsonArray().add("urn:ietf:params:scim:schemas:core:2.0:User"))
            .put("userName", name + "@example.com")
            .put("externalId", externalId)
            .put("active", active)
            .put(
                "emails",
                new JsonArray()
                    .add(
                        new JsonObject().put("value", name + "@example.com").put("primary", true)));
    return post("/Users", body);
  }

  /** An active user whose externalId is their name (the subject their tokens carry). */
  public String user(String name) {
    return user(name, name, true);
  }

  /** A group {@code name} of the users with these directory ids. */
  public void group(String name, List<String> members) {
    JsonArray list = new JsonArray();
    members.forEach(m -> list.add(new JsonObject().put("value", m)));
    post(
        "/Groups",
        new JsonObject()
            .put("schemas", new JsonArray().add("urn:ietf:params:scim:schemas:core:2.0:Group"))
            .put("displayName", name)
            .put("members", list));
  }

  private String post(String path, JsonObject body) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/scim/v2" + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/scim+json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getString("id");
  }
}
