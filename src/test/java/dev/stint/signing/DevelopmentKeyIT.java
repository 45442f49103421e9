package dev.stint.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.stint.config.DatabaseUrl;
import dev.stint.http.IssuerRoutes;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentKeyIT {
  @TempDir Path dataDir;

  @Test
  void generatedOnceWithMode0600AndReused() throws Exception {
    SigningKeys first = DevelopmentKey.loadOrCreate(dataDir);
    Path file = dataDir.resolve(DevelopmentKey.FILE_NAME);
    String pem = Files.readString(file);

    SigningKeys second = DevelopmentKey.loadOrCreate(dataDir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(second.active().kid()).isEqualTo(first.active().kid());
    assertThat(Files.readString(file)).isEqualTo(pem);
    assertThat(first.active().algorithm().getName()).isEqualTo("RS256");
    assertThat(((RSAKey) first.active().privateJwk()).size()).isEqualTo(2048);
    try (var listing = Files.list(dataDir)) {
      assertThat(listing).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void aServerRestartedOnTheSameDataDirPublishesTheSameKey() throws Exception {
    DatabaseUrl db = TestPostgres.migratedDatabase();
    Map<String, String> env = Map.of("STINT_DATA_DIR", dataDir.toString());
    String before;
    try (TestServer server = TestServer.start(db, env)) {
      before = new JsonObject(server.get(IssuerRoutes.JWKS).body()).getJsonArray("keys").encode();
    }
    try (TestServer restarted = TestServer.start(db, env)) {
      String after =
          new JsonObject(restarted.get(IssuerRoutes.JWKS).body()).getJsonArray("keys").encode();
      assertThat(after)
          .isEqualTo(before)
          .contains(DevelopmentKey.loadOrCreate(dataDir).active().kid());
    }
  }

  @Test
  void aCorruptDevelopmentKeyIsRefusedNotReplaced() throws Exception {
    Path file = Files.writeString(dataDir.resolve(DevelopmentKey.FILE_NAME), "garbage\n");
    Assertions.assertThatThrownBy(() -> DevelopmentKey.loadOrCreate(dataDir))
        .hasMessageStartingWith("signing key " + file + ": ");
    assertThat(Files.readString(file)).isEqualTo("garbage\n");
  }
}
