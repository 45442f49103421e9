package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.db.Migrations;
import dev.stint.testing.Eventually;
import dev.stint.testing.IssuanceRig;
import dev.stint.testing.LoadDriver;
import dev.stint.testing.MovableProxy;
import dev.stint.testing.ReplicatedPostgres;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service address points at a hot standby: moved before the promotion finished, or set to a
 * replica by mistake. The standby answers every read, so a readiness check that only asks for an
 * answer says ready while no issuance can be recorded. {@code /readyz} says not ready, naming the
 * standby, and callers get 503, never 500 (a write refused as read-only is the database out of
 * reach); once the address is back on the primary, both recover by themselves.
 */
class StandbyAddressIT {
  private ReplicatedPostgres pair;
  private MovableProxy address;
  private IssuanceRig rig;

  @AfterEach
  void stop() throws Exception {
    if (rig != null) {
      rig.close();
    }
    if (address != null) {
      address.close();
    }
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void anAddressOnTheStandbyIsNotReadyAndRefusesWithA503() throws Exception {
    pair = ReplicatedPostgres.start(Files.createTempDirectory("stint-standby"), false);
    address = MovableProxy.to(pair.primaryPort());
    DatabaseUrl url = ReplicatedPostgres.superuser(address.port());
    Migrations.migrate(url);
    rig = IssuanceRig.onDatabase(url, Map.of());
    try (LoadDriver driver = new LoadDriver()) {
      LoadDriver.Result before = driver.run(rig.credentials("alice"), 4, Duration.ofSeconds(1));
      assertThat(before.byStatus().keySet()).as(before.toString()).containsOnly(200);
      assertThat(rig.server().get("/readyz").statusCode()).isEqualTo(200);

      address.moveTo(pair.standbyPort());
      // A connection the move broke may answer the first check "unreachable"; the next ones open
      // connections to the standby.
      Eventually.until(
          "/readyz to name the standby",
          Duration.ofSeconds(10),
          () -> Database.READ_ONLY.equals(databaseCheck()));
      assertThat(rig.server().get("/readyz").statusCode()).isEqualTo(503);
      LoadDriver.Result onStandby = driver.run(rig.credentials("alice"), 4, Duration.ofSeconds(2));
      assertThat(onStandby.byStatus().keySet()).as(onStandby.toString()).containsOnly(503);

      address.moveTo(pair.primaryPort());
      Eventually.until(
          "/readyz ready on the primary",
          Duration.ofSeconds(10),
          () -> rig.server().get("/readyz").statusCode() == 200);
      LoadDriver.Result after = driver.run(rig.credentials("alice"), 4, Duration.ofSeconds(1));
      assertThat(after.count(200)).as(after.toString()).isPositive();
      assertThat(after.byStatus().keySet()).as(after.toString()).isSubsetOf(200, 503);
    }
  }

  private String databaseCheck() {
    HttpResponse<String> ready = rig.server().get("/readyz");
    return new JsonObject(ready.body()).getJsonObject("checks").getString("database");
  }
}
