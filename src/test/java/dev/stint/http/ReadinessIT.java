package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.db.EmbeddedDatabase;
import dev.stint.db.Migrations;
import dev.stint.testing.TempDirs;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness follows the database: a Postgres of this test's own is stopped under the server. */
class ReadinessIT {

  @Test
  void readinessFailsWhileTheDatabaseIsDown() throws Exception {
    Path dir = TempDirs.create("stint-readiness");
    EmbeddedDatabase own = EmbeddedDatabase.start(dir, EmbeddedDatabase.Use.THROWAWAY);
    try (TestServer server = startOn(own)) {
      assertThat(server.get("/readyz").statusCode()).isEqualTo(200);

      own.close();

      HttpResponse<String> down = server.get("/readyz");
      assertThat(down.statusCode()).isEqualTo(503);
      JsonObject body = new JsonObject(down.body());
      assertThat(body.getString("status")).isEqualTo("unavailable");
      assertThat(body.getJsonObject("checks").getString("database")).isEqualTo("unreachable");
      assertThat(body.getJsonObject("checks").getString("policies")).isEqualTo("ok");
      // Liveness does not depend on the database.
      assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    } finally {
      own.close();
      TestPostgres.deleteTree(dir);
    }
  }

  private static TestServer startOn(EmbeddedDatabase db) {
    Migrations.migrate(db.ownerUrl());
    return TestServer.start(db.url(), Map.of());
  }
}
