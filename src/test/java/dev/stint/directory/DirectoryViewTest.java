package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.db.Database;
import dev.stint.identity.Directory.Standing;
import dev.stint.identity.Person;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.ScimServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each replica's memory of the directory: changed by SCIM writes, heard by announcement (on the
 * writing replica's view and on another's, with a pool and LISTEN of its own), and what it answers
 * for people it knows, does not know, or has deprovisioned.
 */
class DirectoryViewTest {
  static ScimServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ScimServer.start(Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static String matchedUser(String subject) throws Exception {
    DirectoryPeopleTest.server = server;
    DirectoryPeopleTest.seen(ScimServer.ISSUER, subject, null);
    return server.created(
        "Users", DirectoryPeopleTest.user(subject + "@corp.example", subject, null));
  }

  static Person person(String subject) {
    return new Person(ScimServer.ISSUER, subject, Optional.empty());
  }

  static String patch(String path, String op, String attribute, Object value) throws Exception {
    JsonObject body =
        new JsonObject()
            .put("schemas", new JsonArray().add("urn:ietf:params:scim:api:messages:2.0:PatchOp"))
            .put(
                "Operations",
                new JsonArray()
                    .add(
                        new JsonObject().put("op", op).put("path", attribute).put("value", value)));
    var r = server.call("PATCH", path, body.encode());
    assertThat(r.statusCode()).as(r.body()).isIn(200, 204);
    return r.body();
  }

  @Test
  void aGroupChangeIsThePersonsGroupsAtTheNextRead() throws Exception {
    String user = matchedUser("view-grace");
    String group =
        server.created(
            "Groups",
            new JsonObject()
                .put("displayName", "view-sre")
                .put("members", new JsonArray().add(new JsonObject().put("value", user))));
    assertThat(server.viewAfterWrites().standing(person("view-grace")))
        .isEqualTo(new Standing.Member(List.of("view-sre")));

    patch("/Groups/" + group, "remove", "members[value eq \"" + user + "\"]", null);
    assertThat(server.viewAfterWrites().standing(person("view-grace")))
        .as("known, with no groups at all: the token's groups do not come back")
        .isEqualTo(new Standing.Member(List.of()));
    assertThat(server.view().standing(new Person("https://other.example", "view-grace", null)))
        .as("the same subject at another issuer is someone else")
        .isEqualTo(new Standing.Unknown());
  }

  @Test
  void deactivatingDeprovisionsAndReactivatingLiftsTheMark() throws Exception {
    String user = matchedUser("view-heidi");
    patch("/Users/" + user, "Replace", "active", "False");
    assertThat(server.viewAfterWrites().standing(person("view-heidi")))
        .isInstanceOf(Standing.Deprovisioned.class);

    patch("/Users/" + user, "Replace", "active", "True");
    assertThat(server.viewAfterWrites().standing(person("view-heidi")))
        .isEqualTo(new Standing.Member(List.of()));
  }

  @Test
  void aDeletedUsersPersonStaysDeprovisioned() throws Exception {
    String user = matchedUser("view-ivan");
    assertThat(server.call("DELETE", "/Users/" + user, null).statusCode()).isEqualTo(204);
    assertThat(server.viewAfterWrites().standing(person("view-ivan")))
        .isInstanceOf(Standing.Deprovisioned.class);
  }

  @Test
  void anotherReplicasViewHearsTheChange() throws Exception {
    try (Replica replica = new Replica(true)) {
      String user = matchedUser("view-judy");
      server.created(
          "Groups",
          new JsonObject()
              .put("displayName", "view-judy-team")
              .put("members", new JsonArray().add(new JsonObject().put("value", user))));
      Eventually.until(
          "the other replica to read the new group",
          Duration.ofSeconds(10),
          () ->
              replica
                  .view()
                  .standing(person("view-judy"))
                  .equals(new Standing.Member(List.of("view-judy-team"))));
      patch("/Users/" + user, "Replace", "active", false);
      Eventually.until(
          "the other replica to refuse the deactivated person",
          Duration.ofSeconds(10),
          () -> replica.view().standing(person("view-judy")) instanceof Standing.Deprovisioned);
    }
  }

  @Test
  void withTheDirectorysGroupsOffTheTokensStandButMarksStillRefuse() throws Exception {
    matchedUser("view-kim");
    String left = matchedUser("view-leo");
    patch("/Users/" + left, "Replace", "active", false);
    server.viewAfterWrites();
    try (Replica off = new Replica(false)) {
      assertThat(off.view().standing(person("view-kim"))).isEqualTo(new Standing.Unknown());
      assertThat(off.view().standing(person("view-leo")))
          .isInstanceOf(Standing.Deprovisioned.class);
    }
  }

  /** A second replica's view: a Vert.x, a pool and a LISTEN of its own; read once it is made. */
  static final class Replica implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final Database db = Database.connect(vertx, server.database(), 2);
    private final DirectoryView view;

    Replica(boolean groupsInForce) throws Exception {
      view =
          new DirectoryView(
              vertx, db.pool(), db::subscriber, () -> groupsInForce, Clock.systemUTC());
      AuditTables.await(view.start());
    }

    DirectoryView view() {
      return view;
    }

    @Override
    public void close() throws Exception {
      AuditTables.await(view.close());
      db.close();
      AuditTables.await(vertx.close());
    }
  }
}
